import type { AxiosInstance } from 'axios';
import type { ErpSettings } from './settings';

export interface PartLine {
  sku: string;
  quantity: number;
}

/** An ERP answer the step cannot go on with; its message is shown on the failed node. */
export class ErpError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'ErpError';
  }
}

interface HttpFailure {
  response?: { status: number; data?: unknown };
  message: string;
}

/**
 * The ERP's REST API in this installation's dialect: paths and field names come from the settings,
 * so one plugin talks to ERPs that name things differently.
 */
export function createErpClient(settings: ErpSettings, http: AxiosInstance) {
  const f = settings;
  const headers = (): Record<string, string> => {
    if (settings.authMode === 'api_key') return { [settings.apiKeyHeader]: settings.apiKey ?? '' };
    if (settings.authMode === 'basic') return { authorization: `Basic ${Buffer.from(`${settings.username}:${settings.password}`).toString('base64')}` };
    return {};
  };
  const wireLines = (lines: PartLine[]) => lines.map((line) => ({ [f.fieldSku]: line.sku, [f.fieldQuantity]: line.quantity }));

  async function call<T extends Record<string, unknown>>(method: 'get' | 'post', path: string, options: { params?: Record<string, string>; data?: unknown }): Promise<T> {
    try {
      const reply = await http.request<T>({ method, url: `${settings.baseUrl.replace(/\/$/, '')}${path}`, params: options.params, data: options.data, headers: headers(), timeout: settings.timeoutMs });
      return reply.data;
    } catch (error) {
      const failure = error as HttpFailure;
      const status = failure.response?.status ?? null;
      const detail = failure.response?.data ? JSON.stringify(failure.response.data).slice(0, 300) : failure.message;
      throw new ErpError(`ERP ${method.toUpperCase()} ${path} failed${status ? ` (${status})` : ''}: ${detail}`, status);
    }
  }

  const idOf = (reply: Record<string, unknown>) => {
    const id = reply[f.fieldId];
    if (typeof id !== 'string' && typeof id !== 'number') throw new ErpError(`ERP reply has no "${f.fieldId}"`, null);
    return String(id);
  };

  return {
    async available(sku: string, warehouse: string): Promise<number> {
      const reply = await call('get', settings.stockPath, { params: { [f.fieldSku]: sku, [f.fieldWarehouse]: warehouse } });
      const available = Number(reply[f.fieldAvailable]);
      if (!Number.isFinite(available)) throw new ErpError(`ERP stock reply has no number "${f.fieldAvailable}"`, null);
      return available;
    },

    /** Idempotent on `reference`: the ERP answers a repeat with the reservation it made the first time. */
    async reserve(input: { reference: string; warehouse: string; lines: PartLine[] }): Promise<string> {
      return idOf(await call('post', settings.reservePath, { data: { [f.fieldReference]: input.reference, [f.fieldWarehouse]: input.warehouse, [f.fieldLines]: wireLines(input.lines) } }));
    },

    async release(reservationId: string): Promise<void> {
      await call('post', settings.releasePath.replace('{id}', encodeURIComponent(reservationId)), { data: {} });
    },

    async transfer(input: { reference: string; from: string; to: string; lines: PartLine[] }): Promise<string> {
      return idOf(await call('post', settings.transferPath, { data: { [f.fieldReference]: input.reference, [f.fieldFrom]: input.from, [f.fieldTo]: input.to, [f.fieldLines]: wireLines(input.lines) } }));
    },
  };
}

export type ErpClient = ReturnType<typeof createErpClient>;
