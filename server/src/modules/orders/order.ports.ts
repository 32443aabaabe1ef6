import type { EventMap, EventName } from '@scrm/plugin-sdk';
import type { Transaction } from 'sequelize';

/** Where order events go: the plugin outbox, written in the caller's transaction. */
export interface OrderEventsPort {
  emit<K extends EventName>(event: K, payload: EventMap[K], tx: Transaction): Promise<unknown>;
}
