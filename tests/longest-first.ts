import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Longest files first. On a clean clone vitest has no timings cached, so it
// starts the larger files first and the 56 s billing property test can start
// last, with the other worker idle until it ends. These are the files that took
// longest in CI (2026-12-06, over 7 s each), longest first; the rest follow in
// vitest's own order. A stale entry only costs its place in the queue.
const LONGEST: string[] = [
  'unit:tests/unit/billing/properties.test.ts',
  'server:tests/server/sync-process.test.ts',
  'unit:tests/unit/cli/process.test.ts',
  'server:tests/server/projection.test.ts',
  'server:tests/server/process.test.ts',
  'server:tests/server/api.test.ts',
  'server:tests/server/licenses.test.ts',
  'unit:tests/unit/backup/restore-crash.test.ts',
  'server:tests/server/sync-pcs.test.ts',
  'server:tests/server/api-fuzz.test.ts',
  'unit:tests/unit/cli/invoice.test.ts',
  'unit:tests/unit/metrics/metrics.test.ts',
  'unit:tests/unit/metrics/maintained.test.ts',
  'unit:tests/unit/cli/subscription.test.ts',
  'server:tests/server/sync-push.test.ts',
  'unit:tests/unit/auth/parallel-lockout.test.ts',
  'unit:tests/unit/reports/large-export.test.ts',
  'unit:tests/unit/cli/customer.test.ts',
  'unit:tests/unit/cli/plan.test.ts',
  'server:tests/server/api-subscriptions.test.ts',
  'renderer:tests/renderer/plan-form.test.tsx',
  'server:tests/server/sync-fuzz.test.ts',
  'renderer:tests/renderer/customers-page.test.tsx',
  'unit:tests/unit/cli/export.test.ts',
  'unit:tests/unit/billing/spec-examples.test.ts',
  'unit:tests/unit/metrics/month-figures.test.ts',
  'unit:tests/unit/email/email.test.ts',
  'server:tests/server/sync-restore.test.ts',
  'server:tests/server/sync-pcs-credit.test.ts',
  'server:tests/server/sync-client-faults.test.ts',
  'unit:tests/unit/cli/coupon.test.ts',
  'unit:tests/unit/cli/business.test.ts',
  'server:tests/server/sync.test.ts',
  'unit:tests/unit/sync/merge.test.ts',
  'unit:tests/unit/core/isolation.test.ts',
  'server:tests/server/api-keys-sync.test.ts',
  'unit:tests/unit/cli/payment.test.ts',
  'unit:tests/unit/metrics/shared-rows.test.ts',
  'server:tests/server/sync-client-http.test.ts',
  'server:tests/server/api-subscriptions-race.test.ts',
  'unit:tests/unit/cli/sale.test.ts',
];

const rank = new Map(LONGEST.map((key, i) => [key, i]));

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const place = (f: TestSpecification) => rank.get(`${f.project.name}:${relative(this.ctx.config.root, f.moduleId)}`) ?? LONGEST.length;
    return sorted.map((f, i) => ({ f, i, p: place(f) })).sort((a, b) => a.p - b.p || a.i - b.i).map((x) => x.f);
  }
}
