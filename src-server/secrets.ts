import { createHash, randomBytes, randomInt } from 'node:crypto';

/** A device or session token: 256 random bits, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a token or code: its SHA-256, hex. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newId(): string {
  return randomBytes(8).toString('hex');
}

// Crockford base32: no I, L, O, U, so a code read aloud or typed is not misread.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A code a person types: `groups` groups of 4 (5 bits a character), e.g. 7KQ2-M9XD-... */
export function newCode(groups: number): string {
  const parts: string[] = [];
  for (let g = 0; g < groups; g++) {
    let part = '';
    for (let i = 0; i < 4; i++) part += ALPHABET[randomInt(32)];
    parts.push(part);
  }
  return parts.join('-');
}

/** Typed codes compare loosely: case, spaces, dashes and the look-alikes O/I/L do not matter. */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export const hashCode = (code: string) => hashSecret(normalizeCode(code));
