/** Every error the API can answer with. A code names what went wrong; the status says whose fault it is. */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNPROCESSABLE: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_ATTEMPTS: 429,
  INTERNAL: 500,
  NOT_READY: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface FieldProblem {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = errorStatus[code];
  }
}

export const notFound = (what: string, id?: string | number) =>
  new AppError('NOT_FOUND', id === undefined ? `${what} not found` : `${what} ${id} not found`);

export const forbidden = (permission?: string) =>
  new AppError('FORBIDDEN', permission ? `missing permission ${permission}` : 'not allowed', permission ? { permission } : undefined);

export const conflict = (message: string, details?: unknown) => new AppError('CONFLICT', message, details);

export const validationFailed = (problems: FieldProblem[]) =>
  new AppError('VALIDATION_FAILED', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);

export function assertUnreachable(value: never): never {
  throw new Error(`unexpected value ${String(value)}`);
}
