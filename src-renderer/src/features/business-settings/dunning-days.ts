export type DunningDaysText = { ok: true; days: number[] } | { ok: false; message: string };

/**
 * "3, 5, 7" -> [3, 5, 7]. Commas, semicolons or spaces separate the days; the
 * range and order rules are the contract's (dunningDaysSchema), checked after.
 */
export function parseDunningDays(text: string): DunningDaysText {
  const parts = text
    .split(/[,;\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return { ok: false, message: 'Give at least one retry day, like 3, 5, 7' };
  const days: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,4}$/.test(part)) return { ok: false, message: `"${part}" is not a whole number of days` };
    days.push(Number(part));
  }
  return { ok: true, days };
}

export function formatDunningDays(days: readonly number[]): string {
  return days.join(', ');
}
