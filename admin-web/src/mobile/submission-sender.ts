import { checkIn, completeTask, uploadAttachment } from '@/api/technicianTasks';
import { isApiError } from '@/api/request';
import type { SendOutcome, Submission } from './submission-queue';

export interface CheckInPayload {
  lat: number;
  lng: number;
  accuracyM?: number;
}
export interface UploadPayload {
  file: Blob;
  fileName: string;
  capturedAt: string;
  lat?: number;
  lng?: number;
}
export interface CompletePayload {
  lockVersion: number;
  form: Record<string, unknown>;
}

/** Worth another try later: no answer (offline, timeout), the server busy or failing, or a rate limit. */
const retryable = (status: number) => status === 0 || status === 408 || status === 429 || status >= 500;

/** Sends one queued submission with its Idempotency-Key and says whether to retry it. */
export async function sendSubmission(item: Submission): Promise<SendOutcome> {
  try {
    const { orderId, id: key } = item;
    let result: unknown;
    switch (item.kind) {
      case 'check-in':
        result = await checkIn(orderId, item.payload as CheckInPayload, key);
        break;
      case 'photo':
      case 'signature':
        result = await uploadAttachment(orderId, { ...(item.payload as UploadPayload), kind: item.kind }, key);
        break;
      case 'complete':
        result = await completeTask(orderId, item.payload as CompletePayload, key);
        break;
    }
    return { kind: 'done', result };
  } catch (error) {
    if (!isApiError(error)) return { kind: 'retry', error: error instanceof Error ? error.message : String(error) };
    return retryable(error.status) ? { kind: 'retry', error: error.message } : { kind: 'rejected', error: error.message };
  }
}
