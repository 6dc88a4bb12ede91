import type { ErrorCode, RpcErrorBody } from '@shared/contract';

/** The core's error codes plus the CLI's own: a command line the CLI could not make sense of. */
export type CliErrorCode = ErrorCode | 'usage';

/** A failure to report to the caller: printed on stderr, then mapped to an exit code. */
export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly field?: string,
    /** How a person names that field on the command line ("--owner-email", "RECURRA_PASSWORD"). */
    readonly flag?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }

  static fromBody(body: RpcErrorBody, flags: Readonly<Record<string, string>> = {}): CliError {
    const flag = body.field === undefined ? undefined : flagFor(body.field, flags);
    return new CliError(body.code, body.message, body.field, flag);
  }

  toBody(): { code: CliErrorCode; message: string; field?: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

/** "dunningDays.1" is still the --dunning-days flag. */
function flagFor(field: string, flags: Readonly<Record<string, string>>): string | undefined {
  return flags[field] ?? flags[field.split('.')[0] ?? field];
}

export const usageError = (message: string) => new CliError('usage', message);
export const validationError = (field: string, message: string, flag?: string) =>
  new CliError('validation', message, field, flag);

/** spec/cli.md: 0 success; 1 refused (validation, not found, conflict); 2 usage; 3 authentication or permission. */
export function exitCodeFor(code: CliErrorCode): number {
  switch (code) {
    case 'usage':
      return 2;
    case 'unauthenticated':
    case 'forbidden':
      return 3;
    case 'validation':
    case 'not_found':
    case 'conflict':
    case 'internal':
      return 1;
  }
}
