import { z } from 'zod';

const path = (fallback: string, label: string) => z.string().regex(/^\//, 'starts with /').default(fallback).describe(label);
const field = (fallback: string, label: string) => z.string().min(1).max(64).default(fallback).describe(label);

/**
 * How this installation's ERP is reached and what its fields are called. Rendered as a form in the
 * console; the defaults match the reference ERP simulator.
 */
export const erpSettings = z
  .object({
    baseUrl: z.url().describe('ERP 接口地址 / ERP API base URL'),
    authMode: z.enum(['api_key', 'basic', 'none']).default('api_key').describe('认证方式 / Authentication: api_key | basic | none'),
    apiKeyHeader: z.string().min(1).max(64).default('X-Api-Key').describe('API Key 请求头 / API key header'),
    apiKey: z.string().max(256).optional().describe('API Key（加密保存） / API key (stored encrypted)'),
    username: z.string().max(128).optional().describe('用户名（Basic 认证） / User name (basic auth)'),
    password: z.string().max(256).optional().describe('密码（加密保存） / Password (stored encrypted)'),
    timeoutMs: z.number().int().min(500).max(60_000).default(10_000).describe('单次请求超时（毫秒） / Request time limit (ms)'),
    defaultWarehouse: z.string().min(1).max(64).default('MAIN').describe('默认仓库编码 / Default warehouse code'),
    stockPath: path('/stock', '库存查询路径（GET，参数为配件编码与仓库） / Stock lookup path (GET with sku and warehouse)'),
    reservePath: path('/reservations', '预占路径（POST） / Reservation path (POST)'),
    releasePath: path('/reservations/{id}/release', '释放预占路径，{id} 为预占单号 / Release path, {id} is the reservation id'),
    transferPath: path('/transfers', '调拨路径（POST） / Transfer path (POST)'),
    fieldSku: field('sku', '字段：配件编码 / Field: part code'),
    fieldQuantity: field('quantity', '字段：数量 / Field: quantity'),
    fieldWarehouse: field('warehouse', '字段：仓库 / Field: warehouse'),
    fieldAvailable: field('available', '字段：可用库存 / Field: available stock'),
    fieldLines: field('lines', '字段：明细行 / Field: lines'),
    fieldReference: field('reference', '字段：业务单号（幂等） / Field: reference (idempotency)'),
    fieldId: field('id', '字段：单据号 / Field: document id'),
    fieldFrom: field('from', '字段：调出仓库 / Field: source warehouse'),
    fieldTo: field('to', '字段：调入仓库 / Field: target warehouse'),
  })
  .superRefine((value, ctx) => {
    if (value.authMode === 'api_key' && !value.apiKey) ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'required when authMode is api_key' });
    if (value.authMode === 'basic' && (!value.username || !value.password)) ctx.addIssue({ code: 'custom', path: [value.username ? 'password' : 'username'], message: 'required when authMode is basic' });
  });

export type ErpSettings = z.output<typeof erpSettings>;
export const erpSecretKeys = ['apiKey', 'password'];
