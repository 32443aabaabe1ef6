import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '../modules/access/actor';

/** What every log line and audit row needs to know about the request it belongs to. */
export interface RequestContext {
  requestId: string;
  ip?: string;
  actor?: Actor;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const runWithContext = <T>(context: RequestContext, fn: () => T): T => storage.run(context, fn);

export const currentContext = (): RequestContext | undefined => storage.getStore();
