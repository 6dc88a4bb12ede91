import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Longest files first. On a clean clone vitest has no timings cached, so it
// starts the larger files first and the 30 s billing property test can start
// last, with the other worker idle until it ends. These are the files that took
// longest in CI (2026-12-07, over 6 s each, estimated after the cuts of that
// day), longest first; the rest follow in vitest's own order. A stale entry
// only costs its place in the queue; a missing long one can end the run alone.
const LONGEST: string[] = [
  'unit:tests/unit/billing/properties.test.ts',
  'server:tests/server/sync-process.test.ts',
  'cli:tests/unit/cli/process.test.ts',
  'server:tests/server/key-rotation.test.ts',
  'server:tests/server/process.test.ts',
  'server:tests/server/sync-push.test.ts',
  'server:tests/server/api.test.ts',
  'server:tests/server/licenses.test.ts',
  'server:tests/server/sync-pcs.test.ts',
  'unit:tests/unit/insights/fast-worker.test.ts',
  'unit:tests/unit/backup/restore-crash.test.ts',
  'server:tests/server/api-fuzz.test.ts',
  'cli:tests/unit/cli/subscription.test.ts',
  'renderer:tests/renderer/plan-form.test.tsx',
  'unit:tests/unit/reports/large-export.test.ts',
  'cli:tests/unit/cli/invoice.test.ts',
  'server:tests/server/sync.test.ts',
  'server:tests/server/api-subscriptions.test.ts',
  'renderer:tests/renderer/customers-page.test.tsx',
  'server:tests/server/license-key-encryption.test.ts',
  'unit:tests/unit/backup/restore-trust.test.ts',
  'server:tests/server/projection.test.ts',
  'server:tests/server/sync-client-http.test.ts',
  'unit:tests/unit/metrics/maintained.test.ts',
  'server:tests/server/sync-fuzz.test.ts',
  'server:tests/server/sync-pcs-credit.test.ts',
  'cli:tests/unit/cli/payment.test.ts',
  'unit:tests/unit/email/email.test.ts',
  'cli:tests/unit/cli/customer.test.ts',
  'cli:tests/unit/cli/plan.test.ts',
  'server:tests/server/sync-client-faults.test.ts',
  'unit:tests/unit/core/encryption.test.ts',
  'unit:tests/unit/billing/crash.test.ts',
  'server:tests/server/api-keys-sync.test.ts',
  'renderer:tests/renderer/data-settings.test.tsx',
  'server:tests/server/sync-restore.test.ts',
  'server:tests/server/api-subscriptions-race.test.ts',
  'server:tests/server/api-logs.test.ts',
  'renderer:tests/renderer/insights-lists.test.tsx',
  'unit:tests/unit/sync/merge.test.ts',
  'cli:tests/unit/cli/export.test.ts',
  'unit:tests/unit/metrics/metrics.test.ts',
  'unit:tests/unit/auth/parallel-lockout.test.ts',
  'unit:tests/unit/metrics/month-figures.test.ts',
  'unit:tests/unit/metrics/shared-rows.test.ts',
];

const rank = new Map(LONGEST.map((key, i) => [key, i]));

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const place = (f: TestSpecification) => rank.get(`${f.project.name}:${relative(this.ctx.config.root, f.moduleId)}`) ?? LONGEST.length;
    return sorted.map((f, i) => ({ f, i, p: place(f) })).sort((a, b) => a.p - b.p || a.i - b.i).map((x) => x.f);
  }
}
