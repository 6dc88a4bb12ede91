import fs from 'node:fs';

/**
 * Bytes this process has read and written through system calls so far (Linux's /proc/self/io: rchar and
 * wchar), or null where there is no such file. It counts what SQLite asked the OS for, whether or not the OS
 * had it in its own cache: every page SQLite's page cache missed is read again (and, on an encrypted file,
 * decrypted and checked again), every page a commit wrote goes to the WAL. Unlike a time, it does not move
 * with the machine's load, so two variants of the billing run compare on a busy machine too.
 */
export function fileIo(): { readBytes: number; writtenBytes: number } | null {
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/io', 'utf8');
  } catch {
    return null;
  }
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { readBytes: field('rchar'), writtenBytes: field('wchar') };
}

/** The bytes read and written between two `fileIo()` readings, or null. */
export function fileIoSince(before: ReturnType<typeof fileIo>): { readBytes: number; writtenBytes: number } | null {
  const after = fileIo();
  return before && after ? { readBytes: after.readBytes - before.readBytes, writtenBytes: after.writtenBytes - before.writtenBytes } : null;
}
