import type { ServerContext } from '../context';
import type { ServerDb } from '../db/open';
import type { ServerKey } from '../server-key';
import { scheduleProjection } from '../projection/catch-up';
import { appendServerChanges, type ServerChange } from '../projection/writer';
import type { License, MachineRow } from './lookup';
import { signingKeyOf } from './signing';

// What a validation writes back, at most once a day per key and machine:
// `subscriptions.license_validated_on` and the machine's `last_seen_on`, as
// server-made changes the PCs pull (as api/auth.ts does for an API key's
// last_used_on), and the business's signing key on its first validation.
//
// After the answer, not before it: a known key's first validation of the day
// would otherwise take a transaction longer than an unknown key's, which is
// what an unknown key must not be told apart by. Gathered per business for
// FLUSH_MS and written in one transaction (a product starting on 500 machines
// at 9:00 makes one write, not 500). Kept in `pending` until done; the app
// waits for them when it closes, and tests through settleLicenseWrites().

const FLUSH_MS = 250;

/** (business, row, day) already written by this process, so a busy key writes one change a day. */
const recorded = new Set<string>();
const pending = new Set<Promise<void>>();

interface Queued {
  db: ServerDb;
  serverKey: ServerKey;
  changes: ServerChange[];
  needsKey: boolean;
  marks: string[];
  now: Date;
}
const queued = new Map<string, Queued>();
let timer: NodeJS.Timeout | null = null;

function flush(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  const batch = [...queued];
  queued.clear();
  for (const [businessId, q] of batch) {
    const work = (async () => {
      if (q.needsKey) await signingKeyOf(q.db, q.serverKey, businessId, q.now);
      if (q.changes.length > 0) {
        await q.db.transaction(async (tx) => appendServerChanges(tx as unknown as ServerDb, businessId, q.changes, q.now));
        scheduleProjection(q.db, businessId);
      }
    })().catch((error: unknown) => {
      // Not recorded after all: the next validation tries again.
      for (const mark of q.marks) recorded.delete(mark);
      process.stderr.write(`${new Date().toISOString()} license write-back for business ${businessId} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    });
    pending.add(work);
    void work.finally(() => pending.delete(work));
  }
}

export function noteValidation({ db, serverKey }: Pick<ServerContext, 'db' | 'serverKey'>, license: License, machine: MachineRow | undefined, today: string, now: Date): void {
  const changes: ServerChange[] = [];
  const marks: string[] = [];
  const once = (mark: string) => {
    if (recorded.has(mark)) return false;
    if (recorded.size > 50_000) recorded.clear();
    recorded.add(mark);
    marks.push(mark);
    return true;
  };
  if (license.validatedOn !== today && once(`${license.businessId} s ${license.subscriptionId} ${today}`)) {
    changes.push({ table: 'subscriptions', rowId: license.subscriptionId, op: 'upsert', fields: { license_validated_on: today, '@base': { license_validated_on: license.validatedOn } } });
  }
  if (machine && machine.last_seen_on !== today && once(`${license.businessId} m ${machine.id} ${today}`)) {
    changes.push({ table: 'license_machines', rowId: machine.id, op: 'upsert', fields: { last_seen_on: today, '@base': { last_seen_on: machine.last_seen_on } } });
  }
  const needsKey = !license.hasSigningKey && once(`${license.businessId} key`);
  if (changes.length === 0 && !needsKey) return;
  const q = queued.get(license.businessId) ?? { db, serverKey, changes: [], needsKey: false, marks: [], now };
  q.changes.push(...changes);
  q.needsKey ||= needsKey;
  q.marks.push(...marks);
  q.now = now;
  queued.set(license.businessId, q);
  if (!timer) {
    timer = setTimeout(flush, FLUSH_MS);
    timer.unref?.();
  }
}

/** Waits for every write-back under way (the app's close; tests). */
export async function settleLicenseWrites(): Promise<void> {
  if (queued.size > 0) flush();
  while (pending.size > 0) await Promise.allSettled([...pending]);
}
