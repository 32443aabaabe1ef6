import type { DemoPlatform } from './demo-commerce';

/** The running shop-order demo, as its console routes see it. */
export interface DemoOrders {
  /** Settles once the demo's flow, rule, shops and plugins are prepared (and the first orders placed). */
  ready: Promise<void>;
  platforms(): DemoPlatform[];
  place(platform: DemoPlatform): Promise<{ platform: DemoPlatform; platformOrderId: string }>;
  close(): Promise<void>;
}

/** Where the running shop-order demo (sandbox mode only) is found by its console routes; empty otherwise. */
export function createDemoOrderSlot() {
  let current: DemoOrders | null = null;
  return {
    use(demo: DemoOrders | null): void {
      current = demo;
    },
    current: () => current,
  };
}

export type DemoOrderSlot = ReturnType<typeof createDemoOrderSlot>;
