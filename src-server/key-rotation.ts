import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ServerDb } from './db/open';
import { resealSigningKeys } from './licenses/signing';
import { currentServerKey, parseServerKey, sameServerKey, SERVER_KEY_ENV, SERVER_KEY_FILE, ServerKeyError, type ServerKey } from './server-key';

// `npm run server -- admin rotate-key`: a new master key for what the server
// seals (the license signing keys), the old one retired. Every row is
// re-sealed in one transaction; on PGlite with server.key, the new key is
// written beside it first and takes its place only once the rows are committed,
// so no moment leaves the rows sealed under a key that is nowhere on disk.

export const NEW_SERVER_KEY_ENV = 'RECURRA_SERVER_NEW_KEY';

export interface RotationConfig {
  /** Without it: PGlite in dataDir. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Env RECURRA_SERVER_KEY: the current key (else server.key of dataDir, on PGlite). */
  envKey?: string | undefined;
  /** Env RECURRA_SERVER_NEW_KEY: the new key (else, on PGlite with server.key, one is made). */
  envNewKey?: string | undefined;
}

export interface RotationResult {
  /** License signing keys now sealed under the new key. */
  resealed: number;
  /** Of those, how many were stored plain (from before sealing). */
  sealedPlain: number;
  /** Where the new key now is: the server.key it replaced, or the variable the operator must now set. */
  newKeyIn: string;
  /** Whether the command made the new key (PGlite without RECURRA_SERVER_NEW_KEY). */
  generated: boolean;
}

export interface RotationPlan {
  oldKey: ServerKey;
  newKey: ServerKey;
  newText: string;
  /** server.key to replace (PGlite without RECURRA_SERVER_KEY), else null: the operator keeps the key. */
  keyFile: string | null;
  generated: boolean;
}

/** Both keys, checked before the database is opened: a missing or malformed key, or the same key twice, is refused here. */
export function planRotation(config: RotationConfig): RotationPlan {
  const oldKey = currentServerKey({ envKey: config.envKey, databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const keyFile = config.envKey || config.databaseUrl ? null : path.join(config.dataDir, SERVER_KEY_FILE);
  if (!config.envNewKey && !keyFile) {
    throw new ServerKeyError(
      `Set ${NEW_SERVER_KEY_ENV} to the new key (make one with \`openssl rand -base64 32\`): the server takes its key from ${SERVER_KEY_ENV}, ` +
        'which this command cannot change for you.',
    );
  }
  // Never removed here: after a commit whose rename failed, it is the only copy of the key the rows are under.
  if (keyFile && fs.existsSync(`${keyFile}.new`)) {
    throw new ServerKeyError(
      `${keyFile}.new exists: an earlier rotation did not finish. If the server starts with ${keyFile}, delete it; ` +
        `if it does not (the rows were re-encrypted under the new key), move ${keyFile}.new to ${keyFile}. Then run this again.`,
    );
  }
  const newText = config.envNewKey ?? randomBytes(32).toString('base64');
  const newKey = parseServerKey(newText, config.envNewKey ? NEW_SERVER_KEY_ENV : 'the new key');
  if (sameServerKey(oldKey, newKey)) throw new ServerKeyError(`${NEW_SERVER_KEY_ENV} is the key in use (${oldKey.source}): give a new one.`);
  return { oldKey, newKey, newText, keyFile, generated: !config.envNewKey };
}

/** Re-seals every row under the plan's new key (one transaction) and, on PGlite, puts the new key in server.key. */
export async function applyRotation(db: ServerDb, plan: RotationPlan): Promise<RotationResult> {
  const { oldKey, newKey, keyFile } = plan;
  if (!keyFile) {
    const { resealed, sealedPlain } = await resealSigningKeys(db, oldKey, newKey);
    return { resealed, sealedPlain, newKeyIn: SERVER_KEY_ENV, generated: plan.generated };
  }
  const pending = `${keyFile}.new`;
  writeDurably(pending, `${plan.newText}\n`);
  let result;
  try {
    result = await resealSigningKeys(db, oldKey, newKey);
  } catch (error) {
    fs.rmSync(pending, { force: true });
    throw error;
  }
  try {
    fs.renameSync(pending, keyFile);
  } catch (error) {
    throw new ServerKeyError(
      `The signing keys are re-encrypted under the new key, which is in ${pending}, but it could not replace ${keyFile} (${(error as Error).message}): ` +
        `move ${pending} to ${keyFile} before starting the server.`,
    );
  }
  return { resealed: result.resealed, sealedPlain: result.sealedPlain, newKeyIn: keyFile, generated: plan.generated };
}

/** planRotation then applyRotation. */
export async function rotateServerKey(db: ServerDb, config: RotationConfig): Promise<RotationResult> {
  return applyRotation(db, planRotation(config));
}

/** Written and flushed to disk, mode 0600: the rows are committed under this key only after it is safely there. */
function writeDurably(file: string, text: string): void {
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
