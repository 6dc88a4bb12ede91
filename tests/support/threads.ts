import fs from 'node:fs';

/** Each thread of this process and its nice value (Linux: field 19 of /proc/self/task/<tid>/stat, after the command's parenthesis). */
export function niceOfThreads(): Map<number, number> {
  return new Map(
    fs.readdirSync('/proc/self/task').map((tid) => {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return [Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])] as const;
    }),
  );
}

/** The threads started between two `niceOfThreads()` readings that run at `nice`, and whether every thread there before kept its own. */
export function loweredSince(before: Map<number, number>, after: Map<number, number>, nice: number): { lowered: number[]; othersKept: boolean } {
  const lowered = [...after].filter(([tid, n]) => !before.has(tid) && n === nice).map(([tid]) => tid);
  const othersKept = [...before].every(([tid, n]) => !after.has(tid) || after.get(tid) === n);
  return { lowered, othersKept };
}
