import pino, { type Logger } from 'pino';
import { currentContext } from './request-context';

export type { Logger };

/** Paths never written to a log: credentials, tokens, secrets and personal data. */
export const redactedPaths = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'phone',
  '*.phone',
  'address',
  '*.address',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'access_token',
  '*.access_token',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      mixin() {
        const context = currentContext();
        if (!context) return {};
        return {
          requestId: context.requestId,
          userId: context.actor?.userId,
          storeId: context.actor?.storeId ?? undefined,
        };
      },
    },
    destination,
  );
}
