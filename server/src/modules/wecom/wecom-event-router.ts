import type { Transaction } from 'sequelize';
import type { WecomEvent } from '@scrm/wecom-adapter';

export type WecomEventKind = WecomEvent['kind'];

export interface WecomEventContext {
  /** The transaction that also marks the callback processed: effects and that mark commit together. */
  tx: Transaction;
  callbackId: number;
}

export type WecomEventHandler<K extends WecomEventKind = WecomEventKind> = (event: Extract<WecomEvent, { kind: K }>, context: WecomEventContext) => Promise<void>;

/** Where modules subscribe to WeCom events by kind (customers, directory, tags, chats…). */
export function createWecomEventRouter() {
  const handlers = new Map<WecomEventKind, Array<WecomEventHandler<WecomEventKind>>>();
  return {
    on<K extends WecomEventKind>(kind: K, handler: WecomEventHandler<K>): void {
      handlers.set(kind, [...(handlers.get(kind) ?? []), handler as unknown as WecomEventHandler<WecomEventKind>]);
    },
    async dispatch(event: WecomEvent, context: WecomEventContext): Promise<number> {
      const subscribed = handlers.get(event.kind) ?? [];
      for (const handler of subscribed) await handler(event as never, context);
      return subscribed.length;
    },
  };
}

export type WecomEventRouter = ReturnType<typeof createWecomEventRouter>;
