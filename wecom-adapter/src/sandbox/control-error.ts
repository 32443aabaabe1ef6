/** Codes of the /__sandbox control API; answered as HTTP 4xx { code, message, details? }. */
export type SandboxControlCode = 'INVALID_INPUT' | 'EMPLOYEE_NOT_FOUND' | 'CUSTOMER_NOT_FOUND' | 'RELATION_NOT_FOUND' | 'TAG_NOT_FOUND' | 'CHAT_NOT_FOUND' | 'EMPLOYEE_EXISTS' | 'GROUP_MSG_NOT_FOUND';

export class SandboxControlError extends Error {
  constructor(
    readonly code: SandboxControlCode,
    message: string,
    readonly status = code === 'INVALID_INPUT' || code === 'EMPLOYEE_EXISTS' ? 400 : 404,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'SandboxControlError';
  }
}
