import fs from 'node:fs';
import os from 'node:os';

/**
 * Lowers the scheduling priority of the calling worker thread (not the process), so that on a busy CPU the
 * thread serving the UI is picked first and background work (a billing run, the insights) takes what is left.
 *
 * Linux only: a nice value there is a property of each thread, and `setpriority` on a thread id changes that
 * thread alone. On macOS and Windows Node can only change the whole process, which would slow the UI too, so
 * this does nothing there. Returns whether the priority was lowered.
 *
 * Why: on a 2-core machine the billing worker, V8's helper threads and anything else running kept the main
 * thread waiting 30-110 ms for a core (its scheduler statistics, /proc/thread-self/schedstat, during the
 * billing bench), while it had under 1 ms of work to do.
 */
export function lowerThreadPriority(nice = 10): boolean {
  if (process.platform !== 'linux') return false;
  try {
    // /proc/thread-self -> "<pid>/task/<tid>"
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').at(-1));
    if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return false;
    if (os.getPriority(tid) >= nice) return true;
    os.setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
