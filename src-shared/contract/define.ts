import type { z } from 'zod';
import type { Role } from '../domain/roles';

/**
 * Who may call a method: 'public' needs no session (business list, sign-up,
 * login); a role means a session of that role or a higher one.
 */
export type Access = 'public' | Role;

export interface MethodSpec<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  A extends Access = Access,
  W extends boolean = boolean,
> {
  input: I;
  output: O;
  access: A;
  /** Writes run in one transaction, leave an audit row and emit data-changed. */
  write: W;
}

export function method<I extends z.ZodType, O extends z.ZodType, const A extends Access, const W extends boolean>(
  spec: MethodSpec<I, O, A, W>,
): MethodSpec<I, O, A, W> {
  return spec;
}

export const ERROR_CODES = [
  'validation',
  'not_found',
  'conflict',
  'forbidden',
  'unauthenticated',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What crosses the wire when a call fails. */
export interface RpcErrorBody {
  code: ErrorCode;
  message: string;
  /** The input field at fault, as a dotted path ("email", "lines.0.amount"). */
  field?: string;
}

export type RpcResult<T> = { ok: true; data: T } | { ok: false; error: RpcErrorBody };
