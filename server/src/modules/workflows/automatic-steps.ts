import type { Transaction } from 'sequelize';
import { z } from 'zod';

/** What an automatic step sees of the order it runs for, and what it may do to it. */
export interface AutomaticStepContext<S = Record<string, unknown>> {
  order: { id: number; orderNo: string; storeId: number; customerId: number | null; priority: string; nodeKey: string; nodeName: string };
  settings: S;
  /** The transaction entering the node: every write goes through it, so a rolled-back step leaves nothing. */
  tx: Transaction;
  /** Queues a WeCom app message (a textcard linking to the order) to these users, sent after commit. */
  notify(userIds: number[], title: string, description: string): Promise<void>;
  /** Active users with the role in the order's store. */
  membersOf(roleCode: string): Promise<number[]>;
  /** The employee who looks after the order's customer (their owner), if any. */
  customerOwner(): Promise<number | null>;
  setPriority(priority: StepPriority): Promise<void>;
}

interface StepIdentity<S> {
  /** `namespace.step`; core steps use `system.` */
  name: string;
  title: { 'zh-CN': string; 'en-US': string };
  /** Checked when a flow naming the step is published, and again before each run. */
  settings: z.ZodType<S>;
}

export interface SyncAutomaticStep<S = Record<string, unknown>> extends StepIdentity<S> {
  mode?: 'sync';
  /**
   * Runs once per visit to its node, inside the transaction that enters the node (a throw rolls the
   * whole step back). What it returns is recorded in the order's history. Work outside the database
   * belongs in a job queued through the context, or in an `async` step.
   */
  run(context: AutomaticStepContext<S>): Promise<Record<string, unknown> | void>;
}

/** What an asynchronous step sees: it runs from a job after the order entered its node, outside any transaction. */
export interface AsyncStepContext<S = Record<string, unknown>> {
  order: AutomaticStepContext['order'];
  settings: S;
  /** The same for every attempt of one visit to the node: give it to the outside system so a repeat does the work once. */
  idempotencyKey: string;
  attempt: number;
}

export interface AsyncAutomaticStep<S = Record<string, unknown>> extends StepIdentity<S> {
  mode: 'async';
  /** Attempts before the node is parked as failed (default 5); retried with backoff in between. */
  maxAttempts?: number;
  /** Time limit of one attempt in ms (default 30 000); a slower attempt counts as failed. */
  timeoutMs?: number;
  /**
   * May call external systems. Returning moves the order on along the node's edges (what it returns
   * is kept for history and compensation); throwing retries, then parks the node as failed.
   */
  run(context: AsyncStepContext<S>): Promise<Record<string, unknown> | void>;
  /** Undoes a successful run (releases a reservation) when the order is cancelled later. */
  compensate?(context: AsyncStepContext<S> & { result: Record<string, unknown> | null }): Promise<void>;
}

export type AutomaticStep<S = Record<string, unknown>> = SyncAutomaticStep<S> | AsyncAutomaticStep<S>;

const stepName = /^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_.-]*$/;
const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type StepPriority = (typeof priorities)[number];

/** Type-checks a step against its own settings, then files it with the others. */
export const defineAutomaticStep = <S>(step: SyncAutomaticStep<S>): AutomaticStep => step as unknown as AutomaticStep;
export const defineAsyncAutomaticStep = <S>(step: AsyncAutomaticStep<S>): AutomaticStep => step as unknown as AutomaticStep;

/** Built-in steps: the ones a flow can use on any installation. */
export const builtinAutomaticSteps: AutomaticStep[] = [
  defineAutomaticStep({ name: 'system.noop', title: { 'zh-CN': '不做任何事', 'en-US': 'Do nothing' }, settings: z.object({}).passthrough(), run: async () => undefined }),
  defineAutomaticStep({
    name: 'system.set_priority',
    title: { 'zh-CN': '设置优先级', 'en-US': 'Set the priority' },
    settings: z.object({ priority: z.enum(priorities) }),
    async run({ order, settings, setPriority }) {
      await setPriority(settings.priority);
      return { from: order.priority, to: settings.priority };
    },
  }),
  defineAutomaticStep({
    name: 'system.notify_customer_manager',
    title: { 'zh-CN': '通知客户经理（无则店长）', 'en-US': "Notify the customer's manager (else the store manager)" },
    settings: z.object({ title: z.string().min(1).max(128).optional(), message: z.string().min(1).max(400).optional() }),
    async run({ order, settings, notify, customerOwner, membersOf }) {
      const owner = await customerOwner();
      const userIds = owner !== null ? [owner] : await membersOf('store_manager');
      await notify(userIds, settings.title ?? `工单进展：${order.nodeName}`, settings.message ?? `工单已到「${order.nodeName}」，请跟进`);
      return { notified: userIds };
    },
  }),
];

/**
 * The automatic steps an `auto` node may name. Core and plugins register theirs the same way;
 * publishing refuses a flow naming a step nobody registered or giving it settings it does not take.
 */
export function createAutomaticStepRegistry(initial: AutomaticStep[] = builtinAutomaticSteps) {
  const steps = new Map<string, AutomaticStep>();

  function registerAutomaticStep<S>(step: AutomaticStep<S>): void {
    if (!stepName.test(step.name)) throw new Error(`automatic step "${step.name}" must look like namespace.step`);
    if (steps.has(step.name)) throw new Error(`automatic step "${step.name}" is registered already`);
    steps.set(step.name, step as unknown as AutomaticStep);
  }
  initial.forEach((step) => registerAutomaticStep(step));

  return {
    registerAutomaticStep,
    hasAutomaticStep: (name: string) => steps.has(name),
    automaticStep: (name: string): AutomaticStep | undefined => steps.get(name),
    automaticSteps: (): string[] => [...steps.keys()].sort(),
    /** Why `settings` do not suit the step (first problem, with its path), or null. */
    automaticStepSettingsProblem(name: string, settings: unknown): string | null {
      const parsed = steps.get(name)?.settings.safeParse(settings);
      if (!parsed || parsed.success) return null;
      const issue = parsed.error.issues[0];
      return issue ? `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}` : 'invalid settings';
    },
  };
}

export type AutomaticStepRegistry = ReturnType<typeof createAutomaticStepRegistry>;
