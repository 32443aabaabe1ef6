/** Errcodes that mean the access token is bad or expired: refresh it and retry (official SDK rule). */
export const tokenErrcodes: ReadonlySet<number> = new Set([40014, 42001, 42007, 42009]);

/** WeCom's "system busy": retry with backoff. Also used for transport failures (network, HTTP 5xx). */
export const SYSTEM_BUSY = -1;
/** Per-minute / per-hour frequency limit hit. */
export const FREQUENCY_LIMIT = 45009;
/** Too many concurrent calls. */
export const CONCURRENCY_LIMIT = 45033;
/** message/send: every recipient is invalid (left the corp, or outside the app's visible range). */
export const ALL_RECIPIENTS_INVALID = 81013;

export interface WecomErrorInit {
  errcode: number;
  errmsg: string;
  /** API path without `/cgi-bin/`, e.g. `externalcontact/get`. */
  api: string;
  /** Set when the failure was HTTP-level (non-2xx status) rather than a WeCom errcode. */
  httpStatus?: number;
  /** Node/axios error code of a transport failure (ECONNRESET, ETIMEDOUT…); never the raw error. */
  transportCode?: string;
}

const secretPatterns = /((?:access_token|corpsecret|secret|ticket)=)[^&\s"']+/gi;

/** Removes token / secret values from anything that looks like a query string. */
export function redactSecrets(text: string): string {
  return text.replace(secretPatterns, '$1[redacted]');
}

/**
 * A call to WeCom that failed for good (after the retries the client allows). The message carries
 * the api path, errcode and errmsg only: never the URL, a token or a secret.
 */
export class WecomError extends Error {
  readonly errcode: number;
  readonly errmsg: string;
  readonly api: string;
  readonly httpStatus?: number;
  readonly transportCode?: string;

  constructor(init: WecomErrorInit) {
    const errmsg = redactSecrets(init.errmsg);
    super(`WeCom ${init.api} failed: errcode ${init.errcode} ${errmsg}`.trim());
    this.name = 'WecomError';
    this.errcode = init.errcode;
    this.errmsg = errmsg;
    this.api = init.api;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.transportCode !== undefined) this.transportCode = init.transportCode;
  }
}

/** An app message nobody can receive: sending it again cannot succeed. */
export const isAllRecipientsInvalid = (error: unknown): error is WecomError => error instanceof WecomError && error.errcode === ALL_RECIPIENTS_INVALID;
