import type { ErrorCode, RpcErrorBody } from '@shared/contract/define';

/** An error meant for the caller: it crosses the wire as { code, message, field }. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): RpcErrorBody {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export const validation = (field: string, message: string) => new AppError('validation', message, field);
export const notFound = (what: string, field?: string) => new AppError('not_found', `${what} was not found`, field);
export const conflict = (message: string, field?: string) => new AppError('conflict', message, field);
export const forbidden = (message = 'Your role does not allow this') => new AppError('forbidden', message);
export const unauthenticated = (message = 'Please log in') => new AppError('unauthenticated', message);
