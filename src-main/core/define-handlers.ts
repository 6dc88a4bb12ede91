import type { MethodName } from '@shared/contract';
import type { Core } from './core';
import type { Handlers } from './rpc';

export type AppHandlers = Handlers<Core>;

/** A module's handlers: each key must be a contract method, typed by the contract. */
export function defineHandlers<const H extends Partial<AppHandlers>>(
  handlers: H & Record<Exclude<keyof H, MethodName>, never>,
): H {
  return handlers;
}
