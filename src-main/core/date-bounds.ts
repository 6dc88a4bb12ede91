import type { z } from 'zod';
import { addMonths } from '@shared/domain/periods';
import { isoDateSchema, MAX_YEARS_AHEAD } from '@shared/domain/fields';
import { validation } from './errors';

// Issue 11: a subscription starting 0000-01-01 issued 24,315 invoices, and
// nothing stopped a date a century ahead. isoDateSchema refuses dates before
// 1970; this refuses, for every input field declared with isoDateSchema, a
// date more than MAX_YEARS_AHEAD years after today in the business's time
// zone. One check in the dispatcher covers every front (app, browser, CLI).

type Path = string[];
const pathsBySchema = new WeakMap<z.ZodType, Path[]>();

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}

/** The paths of the fields a schema declares with isoDateSchema (through optional, default, nullable, pipes, nested objects). */
export function datePaths(schema: z.ZodType): Path[] {
  let paths = pathsBySchema.get(schema);
  if (!paths) {
    paths = [];
    collect(schema, [], paths, 0);
    pathsBySchema.set(schema, paths);
  }
  return paths;
}

function collect(schema: z.ZodType, at: Path, out: Path[], depth: number): void {
  if (depth > 8) return;
  if (schema === isoDateSchema) {
    out.push(at);
    return;
  }
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  if (def.innerType) return collect(def.innerType, at, out, depth + 1);
  if (def.type === 'pipe' && def.in) return collect(def.in, at, out, depth + 1);
  if (def.type === 'object' && def.shape) {
    for (const [key, field] of Object.entries(def.shape)) collect(field, [...at, key], out, depth + 1);
  }
}

/** The latest date anyone may enter, for today (YYYY-MM-DD in the business's time zone). */
export function latestEnteredDate(today: string): string {
  return addMonths(today, 12 * MAX_YEARS_AHEAD);
}

/**
 * Throws a validation error naming the first date field of `input` past today + MAX_YEARS_AHEAD years.
 * `today` (the business's time zone: a database read) is asked only for a date that could be past the
 * bound: with `now`, a date no later than the bound of yesterday in UTC passes without it, since every
 * time zone (UTC-12 to UTC+14) is at most a day behind UTC.
 */
export function checkDateBounds(schema: z.ZodType, input: unknown, today: () => string, now?: Date): void {
  const paths = datePaths(schema);
  if (paths.length === 0) return;
  const surelyFine = now ? latestEnteredDate(new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10)) : '';
  let latest: string | undefined;
  for (const path of paths) {
    let value: unknown = input;
    for (const key of path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (typeof value !== 'string' || value <= surelyFine) continue;
    latest ??= latestEnteredDate(today());
    if (value > latest) {
      throw validation(path.join('.'), `Use a date no later than ${latest} (${MAX_YEARS_AHEAD} years from today)`);
    }
  }
}
