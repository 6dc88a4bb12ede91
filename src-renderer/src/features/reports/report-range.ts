import type { ReportKind } from '@shared/contract/reports';
import { addDays, isIsoDate } from '@shared/domain/dates';
import { addMonths } from '@shared/domain/periods';
import { isReportKind, REPORTS, type RangeMode } from './report-kinds';

// The Reports page keeps its choice (kind and range) in the address, so the
// dashboard can link to a report and the back button goes to the previous one.

export const PRESETS = ['this-month', 'last-month', 'last-12-months', 'this-year', 'all', 'custom'] as const;
export type RangePreset = (typeof PRESETS)[number];

export const PRESET_LABELS: Record<RangePreset, string> = {
  'this-month': 'This month',
  'last-month': 'Last month',
  'last-12-months': 'Last 12 months',
  'this-year': 'This year',
  all: 'All time',
  custom: 'Custom',
};

export interface DateRange {
  from?: string;
  to?: string;
}

/** The presets a kind offers: monthly reports need an end, AR aging takes one day. */
export function presetsFor(mode: RangeMode): RangePreset[] {
  if (mode === 'as-of') return [];
  return mode === 'months' ? ['this-month', 'last-month', 'last-12-months', 'this-year', 'custom'] : ['this-month', 'last-month', 'last-12-months', 'this-year', 'all', 'custom'];
}

export function defaultPreset(kind: ReportKind): RangePreset {
  if (kind === 'revenue' || kind === 'mrr-movements') return 'last-12-months';
  if (kind === 'customers' || kind === 'subscriptions') return 'all';
  return 'this-month';
}

/** The days a preset covers as of today (inclusive); "all" is open at both ends. */
export function presetRange(preset: Exclude<RangePreset, 'custom'>, today: string): DateRange {
  const monthStart = `${today.slice(0, 7)}-01`;
  switch (preset) {
    case 'this-month':
      return { from: monthStart, to: today };
    case 'last-month':
      return { from: addMonths(monthStart, -1), to: addDays(monthStart, -1) };
    case 'last-12-months':
      return { from: addMonths(monthStart, -11), to: today };
    case 'this-year':
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
    case 'all':
      return {};
  }
}

export interface ReportQuery {
  kind: ReportKind;
  /** null for AR aging, which is as of one day (`to`). */
  preset: RangePreset | null;
  from?: string;
  to?: string;
}

const date = (value: string | null) => (value && isIsoDate(value) ? value : undefined);

/** The preset a range is, if it is one (a dashboard link for "this month" shows as This month). */
export function presetMatching(kind: ReportKind, range: DateRange, today: string): RangePreset {
  for (const preset of presetsFor(REPORTS[kind].mode)) {
    if (preset === 'custom') continue;
    const r = presetRange(preset, today);
    if (r.from === range.from && r.to === range.to) return preset;
  }
  return 'custom';
}

/** The report and range the address asks for, defaults filled in. */
export function readReportQuery(params: URLSearchParams, today: string): ReportQuery {
  const kindParam = params.get('kind');
  const kind: ReportKind = isReportKind(kindParam) ? kindParam : 'revenue';
  const given: DateRange = {};
  const from = date(params.get('from'));
  const to = date(params.get('to'));
  if (from) given.from = from;
  if (to) given.to = to;
  if (REPORTS[kind].mode === 'as-of') return { kind, preset: null, to: given.to ?? today };

  const presetParam = params.get('preset') as RangePreset | null;
  const offered = presetsFor(REPORTS[kind].mode);
  let preset: RangePreset;
  if (presetParam && offered.includes(presetParam)) preset = presetParam;
  else if (given.from || given.to) preset = presetMatching(kind, given, today);
  else preset = defaultPreset(kind);
  return preset === 'custom' ? { kind, preset, ...given } : { kind, preset, ...presetRange(preset, today) };
}

/** The address of a report choice: presets by name (they move with today), custom ranges by their dates too. */
export function writeReportQuery(q: ReportQuery): URLSearchParams {
  const params = new URLSearchParams({ kind: q.kind });
  if (q.preset === null) {
    if (q.to) params.set('to', q.to);
  } else if (q.preset === 'custom') {
    // Named, so a custom range that happens to equal a preset stays custom while it is edited.
    params.set('preset', 'custom');
    if (q.from) params.set('from', q.from);
    if (q.to) params.set('to', q.to);
  } else {
    params.set('preset', q.preset);
  }
  return params;
}

/** Why a range cannot be asked for, in words; null when it can. */
export function rangeProblem(q: ReportQuery): string | null {
  if (q.from && q.to && q.to < q.from) return 'The range ends before it starts: pick an end date on or after the start.';
  return null;
}

/** The range as the contract takes it: omitted bounds are left out. */
export function rangeInput(q: ReportQuery): DateRange {
  return { ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) };
}
