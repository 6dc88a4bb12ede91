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

/**
 * Peak RSS by the kernel's own high-water mark (Linux: VmHWM in /proc/self/status, reset by writing 5 to
 * /proc/self/clear_refs), so nothing samples it: exact where a sampler can miss a peak, and the stall ticker
 * does nothing but read the clock. Sampling `process.memoryUsage.rss()` every few ms read /proc/self/stat,
 * which can wait on the process's memory-map lock while another thread maps or unmaps memory (the billing
 * worker's SQLite cache and V8 heap do, a lot); not shown to be the cause of a stall, but no longer a suspect.
 * `reset` returns false where the kernel has no such mark; the caller samples instead.
 */
export const peakRssMark = {
  reset(): boolean {
    try {
      fs.writeFileSync('/proc/self/clear_refs', '5');
      return this.read() !== null;
    } catch {
      return false;
    }
  },
  /** The peak RSS in bytes since the last reset (or the process's start), or null off Linux. */
  read(): number | null {
    try {
      const kib = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
      return kib === undefined ? null : Number(kib) * 1024;
    } catch {
      return null;
    }
  },
};
