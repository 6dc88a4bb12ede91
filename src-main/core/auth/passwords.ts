import type * as Argon2 from '@node-rs/argon2';
import { lazyRequire } from '../lazy-require';

const argon2 = lazyRequire<typeof Argon2>('@node-rs/argon2');

// argon2id with the OWASP parameters (19 MiB, 2 passes). @node-rs/argon2 is an
// N-API addon, so one build serves Node and every Electron version.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): string {
  return argon2().hashSync(password, OPTIONS);
}

export function verifyPassword(hash: string, password: string): boolean {
  try {
    return argon2().verifySync(hash, password);
  } catch {
    return false;
  }
}

/** Verified when the email is unknown, so a wrong email costs as long as a wrong password. */
let dummyHash: string | undefined;
export function burnPasswordCheck(password: string): void {
  dummyHash ??= hashPassword('not a real password');
  verifyPassword(dummyHash, password);
}

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;
