import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { fail } from './api-error';
import type { SandboxState } from './sandbox-state';
import type { SandboxEvent } from './event-xml';
import type { SandboxApp, SandboxOptions } from './sandbox.types';

/** One /cgi-bin endpoint: which apps may call it and a handler that never sees Koa. */
export interface ApiRequest {
  query: Record<string, string>;
  body: unknown;
  /** The app whose token was used; undefined for gettoken. */
  app?: SandboxApp;
  raw: IncomingMessage;
}

export interface ApiDefinition {
  /** Path under /cgi-bin/, e.g. "externalcontact/get". */
  path: string;
  method: 'GET' | 'POST';
  apps: readonly SandboxApp[];
  /** Needs no access_token (gettoken). */
  public?: boolean;
  /** The body is multipart (media/upload): left unread for the handler. */
  multipart?: boolean;
  handle(request: ApiRequest): Promise<Record<string, unknown>> | Record<string, unknown>;
}

export interface ApiDeps {
  state: SandboxState;
  options: Pick<SandboxOptions, 'corpId' | 'secrets' | 'agentId'> & { tokenTtlSeconds: number };
  /** Pushes a callback (for asynchronous outcomes such as settled transfers). */
  push(event: SandboxEvent): void;
}

export type ApiFactory = (deps: ApiDeps) => ApiDefinition[];

/** Who may call what: the contact-sync secret reads/writes the directory; the customer-contact secret and
 * the self-built app (when allowed under 客户联系 → 可调用应用) call externalcontact/*; only the app sends. */
export const scopes = {
  directory: ['contact', 'agent'],
  contactSyncOnly: ['contact'],
  customer: ['customer', 'agent'],
  agent: ['agent'],
  any: ['contact', 'customer', 'agent'],
} as const satisfies Record<string, readonly SandboxApp[]>;

/** Validates a body or query; a violation answers 40058 naming the field. */
export function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  return fail('INVALID_PARAMETER', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

/** Opaque cursors: base64url of the position. */
export const encodeCursor = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (!cursor) return undefined;
  try {
    const decoded = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (decoded.success) return decoded.data;
  } catch {
    // fall through: answered as an invalid cursor below
  }
  return fail('INVALID_PARAMETER', 'invalid cursor');
}

export const offsetCursor = z.object({ o: z.number().int().min(0) });

export const ok = <T extends Record<string, unknown>>(body: T) => ({ errcode: 0, errmsg: 'ok', ...body });

/** Query numbers arrive as strings. */
export const queryInt = z.coerce.number().int();
