import { WecomError, type WecomClient } from '@scrm/wecom-adapter';
import { AppError } from '../../core/errors';
import type { WecomRuntime } from '../wecom/wecom-runtime';

/** The WeCom client, or a 409 telling the admin to connect WeCom first. */
export async function requireWecomClient(runtime: WecomRuntime): Promise<WecomClient> {
  const client = await runtime.client();
  if (!client) throw new AppError('CONFLICT', 'WeCom is not connected: configure the corp in the WeCom settings first');
  return client;
}

/** WeCom's answers that mean our copy is out of date or the input clashes, as 4xx the console can show. */
const clientErrors: Record<number, string> = {
  40068: 'the tag or tag group no longer exists in WeCom; sync the tags and try again',
  40071: 'a tag or tag group with this name already exists in WeCom',
  84061: 'the employee no longer follows this customer in WeCom',
};

/** Runs a WeCom call for a console request, turning known refusals into 409 / 429 with WeCom's code. */
export async function callWecom<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asAppError(error);
  }
}

export function asAppError(error: unknown): unknown {
  if (!(error instanceof WecomError)) return error;
  const details = { errcode: error.errcode, api: error.api };
  if (error.errcode === 45009 || error.errcode === 45033) return new AppError('TOO_MANY_ATTEMPTS', 'WeCom rate limit reached; try again in a minute', { ...details, retryAfterSeconds: 60 });
  if (error.errcode === -1 || error.httpStatus !== undefined || error.transportCode !== undefined) return new AppError('NOT_READY', 'WeCom could not be reached; try again later', details);
  const known = clientErrors[error.errcode];
  return new AppError('CONFLICT', known ?? `WeCom refused the change: ${error.errmsg}`, details);
}
