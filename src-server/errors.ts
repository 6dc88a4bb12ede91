/** The one error shape of the server: `{error:{type, code, message, param?}}` with an HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    readonly param?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toJSON(): { error: { type: ErrorType; code: string; message: string; param?: string } } {
    return { error: { type: this.type, code: this.code, message: this.message, ...(this.param ? { param: this.param } : {}) } };
  }
}

export type ErrorType =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'conflict'
  | 'rate_limit'
  | 'server';

export const invalid = (param: string, message: string, code = 'invalid_field') =>
  new ApiError(400, 'invalid_request', code, message, param);
export const unauthenticated = (message: string) => new ApiError(401, 'authentication', 'unauthenticated', message);
export const forbidden = (code: string, message: string) => new ApiError(403, 'permission', code, message);
export const notFound = (code: string, message: string) => new ApiError(404, 'not_found', code, message);
export const conflict = (code: string, message: string) => new ApiError(409, 'conflict', code, message);

/** The SQLSTATE of a PostgreSQL error, whether the driver's error or drizzle's wrapper around it. */
export function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/** unique_violation (23505). */
export const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';
