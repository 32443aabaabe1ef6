import axios, { AxiosError, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { ElMessage } from 'element-plus';

import { i18n } from '@/locales';

/** The error every API function rejects with. */
export class ApiError extends Error {
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | undefined;
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;

  constructor(init: { code: string; message: string; details?: unknown; requestId?: string; status: number }) {
    super(init.message);
    this.name = 'ApiError';
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
    this.status = init.status;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export interface RequestOptions {
  /** Do not show an ElMessage for errors (the caller handles them). */
  silent?: boolean;
  /** Do not redirect to /login on 401 (used by the login call itself). */
  skipAuthRedirect?: boolean;
}

interface Envelope<T> {
  code: number | string;
  data?: T;
  message?: string;
  details?: unknown;
  requestId?: string;
}

/* ---- hooks the app installs (keeps this module free of store/router imports) ---- */
interface RequestHooks {
  getToken: () => string | null;
  getLocale: () => string;
  onUnauthorized: () => void;
}
let hooks: RequestHooks = {
  getToken: () => null,
  getLocale: () => 'zh-CN',
  onUnauthorized: () => {},
};
export function installRequestHooks(h: RequestHooks): void {
  hooks = h;
}

const client = axios.create({
  baseURL: '',
  timeout: 30_000,
  headers: { Accept: 'application/json' },
});

client.interceptors.request.use((config) => {
  const token = hooks.getToken();
  if (token) config.headers.set('Authorization', `Bearer ${token}`);
  config.headers.set('Accept-Language', hooks.getLocale());
  return config;
});

/** The text shown for an error (also for callers that pass `silent` and report it themselves). */
export function errorText(err: ApiError): string {
  const { t, te } = i18n.global;
  if (err.code === 'TOO_MANY_ATTEMPTS') {
    const secs = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    return t('errors.TOO_MANY_ATTEMPTS', { seconds: secs ?? '?' });
  }
  if (err.code === 'VALIDATION_FAILED' && Array.isArray(err.details) && err.details.length > 0) {
    const first = err.details[0] as { path?: string; message?: string };
    return `${t('errors.VALIDATION_FAILED')}: ${first.path ?? ''} ${first.message ?? ''}`.trim();
  }
  const key = `errors.${err.code}`;
  if (te(key)) return t(key);
  return err.message || t('errors.UNKNOWN');
}

async function readBlobJson(blob: Blob): Promise<Envelope<unknown> | null> {
  try {
    return JSON.parse(await blob.text()) as Envelope<unknown>;
  } catch {
    return null;
  }
}

async function toApiError(e: unknown): Promise<ApiError> {
  if (e instanceof ApiError) return e;
  if (e instanceof AxiosError) {
    const res = e.response;
    if (!res) {
      return new ApiError({ code: e.code === 'ECONNABORTED' ? 'TIMEOUT' : 'NETWORK_ERROR', message: e.message, status: 0 });
    }
    let body: unknown = res.data;
    if (body instanceof Blob) body = await readBlobJson(body);
    const env = (body && typeof body === 'object' ? body : {}) as Envelope<unknown>;
    return new ApiError({
      code: typeof env.code === 'string' ? env.code : `HTTP_${res.status}`,
      message: env.message ?? res.statusText ?? `HTTP ${res.status}`,
      details: env.details,
      requestId: env.requestId ?? (res.headers['x-request-id'] as string | undefined),
      status: res.status,
    });
  }
  return new ApiError({ code: 'UNKNOWN', message: e instanceof Error ? e.message : String(e), status: 0 });
}

/** The ApiError for an envelope whose `code` is not 0. */
function envelopeError(env: Envelope<unknown>, status: number): ApiError {
  return new ApiError({
    code: String(env.code),
    message: env.message ?? 'Request failed',
    details: env.details,
    requestId: env.requestId,
    status,
  });
}

function unwrap<T>(res: AxiosResponse<Envelope<T>>): T {
  const body = res.data;
  if (body && typeof body === 'object' && 'code' in body) {
    if (body.code === 0) return body.data as T;
    throw envelopeError(body, res.status);
  }
  // not an envelope (should not happen for /api) — hand the body back as is
  return body as unknown as T;
}

function report(err: ApiError, opts: RequestOptions): void {
  if (err.status === 401 && !opts.skipAuthRedirect) {
    hooks.onUnauthorized();
    ElMessage({ type: 'warning', message: i18n.global.t('errors.UNAUTHENTICATED'), grouping: true });
    return;
  }
  if (!opts.silent) {
    const rid = err.requestId ? ` (${err.requestId})` : '';
    ElMessage({ type: 'error', message: errorText(err) + rid, grouping: true, duration: 4000 });
  }
}

/** Make a request and return the unwrapped `data`, or throw an ApiError. */
export async function request<T>(config: AxiosRequestConfig, opts: RequestOptions = {}): Promise<T> {
  try {
    const res = await client.request<Envelope<T>>(config);
    return unwrap(res);
  } catch (e) {
    const err = await toApiError(e);
    report(err, opts);
    throw err;
  }
}

export const http = {
  get: <T>(url: string, params?: object, opts?: RequestOptions) => request<T>({ method: 'GET', url, params }, opts),
  post: <T>(url: string, data?: unknown, opts?: RequestOptions) => request<T>({ method: 'POST', url, data }, opts),
  patch: <T>(url: string, data?: unknown, opts?: RequestOptions) => request<T>({ method: 'PATCH', url, data }, opts),
  put: <T>(url: string, data?: unknown, opts?: RequestOptions) => request<T>({ method: 'PUT', url, data }, opts),
  delete: <T>(url: string, params?: object, opts?: RequestOptions) => request<T>({ method: 'DELETE', url, params }, opts),
};

export interface Download {
  blob: Blob;
  filename: string;
}

function filenameFrom(disposition: string | undefined, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1] ?? fallback;
}

/** GET a file (CSV export etc.) through the same client: auth header, error handling. */
export async function download(url: string, params: object | undefined, fallbackName: string, opts: RequestOptions = {}): Promise<Download> {
  try {
    const res = await client.request<Blob>({ method: 'GET', url, params, responseType: 'blob' });
    const type = String(res.headers['content-type'] ?? '');
    if (type.includes('application/json')) {
      // an envelope came back instead of a file
      const env = await readBlobJson(res.data);
      if (env && env.code !== 0) throw envelopeError(env, res.status);
    }
    return { blob: res.data, filename: filenameFrom(res.headers['content-disposition'] as string | undefined, fallbackName) };
  } catch (e) {
    const err = await toApiError(e);
    report(err, opts);
    throw err;
  }
}

/** Hand a downloaded blob to the browser as a file. */
export function saveBlob({ blob, filename }: Download): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
