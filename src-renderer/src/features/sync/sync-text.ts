import type { SyncIndicator } from '@shared/contract/sync-auto';
import { SKEW_WARNING_MS } from '@shared/contract/sync-auto';

// What the header and Settings > Sync say about sync, as plain functions (tested without a browser).

/** "just now", "2 min ago", "3 h ago", "2 days ago". */
export function ago(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const ms = Math.max(0, now - new Date(iso).getTime());
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.floor(h / 24);
  return d === 1 ? '1 day ago' : `${d} days ago`;
}

const changes = (n: number) => (n === 1 ? '1 change' : `${n.toLocaleString()} changes`);

/** "1 h 20 min" from milliseconds. */
export function duration(ms: number): string {
  const min = Math.round(Math.abs(ms) / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  const rest = min % 60;
  if (h >= 48) return `${Math.round(h / 24)} days`;
  return rest ? `${h} h ${rest} min` : `${h} h`;
}

export interface HeaderText {
  /** What the button says. */
  label: string;
  /** What it says in a narrow window (empty: the icon alone). */
  short: string;
  /** ok: green dot; waiting: grey (offline, queued); warning: orange (refused, clock, error). */
  tone: 'ok' | 'waiting' | 'warning' | 'syncing';
  /** A longer sentence for the tooltip and screen readers. */
  detail: string;
}

/** What the header shows for a connected business (null: show nothing). */
export function headerText(s: SyncIndicator, now: number): HeaderText | null {
  if (!s.connected) return null;
  const last = s.lastSyncAt ? `last synced ${ago(s.lastSyncAt, now)}` : 'not synced yet';
  const waiting = s.pending > 0 ? `${changes(s.pending)} waiting to sync, ` : '';
  if (s.state === 'refused') {
    return { label: 'Sync stopped', short: 'Sync stopped', tone: 'warning', detail: `${s.problem ?? 'The sync server refuses this PC.'} ${capital(waiting + last)}.` };
  }
  if (s.skewMs !== null && Math.abs(s.skewMs) > SKEW_WARNING_MS) {
    const dir = s.skewMs > 0 ? 'ahead of' : 'behind';
    return {
      label: 'Check the PC clock',
      short: 'Clock',
      tone: 'warning',
      detail: `This PC's clock is ${duration(s.skewMs)} ${dir} the sync server's. Sync still works, but set the clock right (Windows: Settings > Time). ${capital(waiting + last)}.`,
    };
  }
  if (s.syncing) return { label: 'Syncing…', short: '', tone: 'syncing', detail: `Syncing with the server; ${waiting + last}.` };
  if (s.state === 'offline' || s.state === 'error') {
    const label = s.pending > 0 ? `${changes(s.pending)} waiting` : s.state === 'offline' ? 'Offline' : 'Sync failed';
    const short = s.pending > 0 ? `${s.pending.toLocaleString()} waiting` : label;
    return { label, short, tone: s.state === 'error' ? 'warning' : 'waiting', detail: `${capital(waiting + last)}. ${s.problem ?? ''}`.trim() };
  }
  if (!s.lastSyncAt) return { label: 'Not synced yet', short: '', tone: 'waiting', detail: s.pending > 0 ? `${changes(s.pending)} waiting to sync.` : 'Not synced yet.' };
  if (s.pending > 0) return { label: `Synced ${ago(s.lastSyncAt, now)}`, short: '', tone: 'ok', detail: `${changes(s.pending)} waiting to sync (in a few seconds), last synced ${ago(s.lastSyncAt, now)}.` };
  return { label: `Synced ${ago(s.lastSyncAt, now)}`, short: '', tone: 'ok', detail: `Everything on this PC is on the server; last synced ${ago(s.lastSyncAt, now)}.` };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A conflict's value as text: strings as they are, null as a dash, the rest as JSON. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** customers → Customer, plan_tiers → Plan tier. */
export function entityLabel(entity: string): string {
  const words = entity.replaceAll('_', ' ');
  const singular = words.endsWith('ies') ? `${words.slice(0, -3)}y` : words.endsWith('s') ? words.slice(0, -1) : words;
  return capital(singular);
}

/** One CSV cell: quoted when needed, and a leading = + - @ made harmless for spreadsheets (a customer's name is anyone's text). */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The conflicts list as CSV (with the row ids the table keeps in tooltips), newest first as shown. */
export function conflictsCsv(rows: { entity: string; id: string; field: string; kept: unknown; overwritten: unknown; at: string }[]): string {
  const lines = ['What,Id,Field,Kept,Overwritten,When'];
  for (const c of rows) lines.push([entityLabel(c.entity), c.id, c.field, valueText(c.kept), valueText(c.overwritten), c.at].map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** "about 4 min left", "less than a minute left", "about 1 h 20 min left"; empty before there is a pace to go by. */
export function timeLeft(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return 'less than a minute left';
  return `about ${duration(seconds * 1000)} left`;
}

export interface UploadText {
  /** What the line over the bar says. */
  label: string;
  /** The bar, 0-100; null: not known yet (the bar moves without a figure). */
  percent: number | null;
}

/** What Settings > Sync says of a big upload under way (the sync-progress event), or null when none is. */
export function uploadText(p: { phase: 'preparing' | 'uploading' | 'finished' | 'failed'; uploaded: number; total: number; secondsLeft: number | null } | null): UploadText | null {
  if (!p || p.phase === 'finished' || p.phase === 'failed') return null;
  if (p.phase === 'preparing') return { label: 'Preparing the upload: listing every record of this business…', percent: null };
  const total = Math.max(p.total, p.uploaded, 1);
  const percent = Math.min(100, Math.floor((p.uploaded / total) * 100));
  const left = p.uploaded < total ? timeLeft(p.secondsLeft) : '';
  return { label: `Uploaded ${p.uploaded.toLocaleString()} of ${total.toLocaleString()} changes (${percent} %)${left ? ` · ${left}` : ''}`, percent };
}
