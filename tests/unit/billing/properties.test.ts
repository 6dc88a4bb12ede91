import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAYS, dayOf, play, scenarioArb, state } from '../../support/billing-scenarios';

// Property tests over random plans, dates, changes and payment methods (spec 3):
// one run as of D equals daily runs up to D; a second run changes nothing;
// totals are sums of lines; no period is invoiced twice; money stays integer.

describe('billing properties', () => {
  it('one run as of D equals daily runs up to D; a second run changes nothing; totals add up; no period twice', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const daily = await play(scenario, true);
        const once = await play(scenario, false);
        try {
          const s = state(daily);
          expect(state(once)).toEqual(s);

          await once.run(dayOf(DAYS));
          await once.run(dayOf(DAYS - 30));
          expect(state(once)).toEqual(s);

          for (const inv of s.invoices as Record<string, number | string>[]) {
            const lines = (s.lines as { number: string; kind: string; amount: number }[]).filter((l) => l.number === inv.number);
            const total = lines.filter((l) => l.kind !== 'credit').reduce((sum, l) => sum + l.amount, 0);
            expect(total, String(inv.number)).toBe(inv.total);
            expect(inv.subtotal).toBe(lines.filter((l) => ['recurring', 'setup_fee', 'proration'].includes(l.kind)).reduce((sum, l) => sum + l.amount, 0));
            const credit = 0 - lines.filter((l) => l.kind === 'credit').reduce((sum, l) => sum + l.amount, 0) || 0;
            expect(credit).toBe(inv.credit_applied);
            if ((inv.total as number) >= 0) expect((inv.amount_due as number) + (inv.amount_paid as number) + credit).toBe(inv.status === 'void' ? (inv.amount_paid as number) + credit : inv.total);
            for (const v of Object.values(inv)) if (typeof v === 'number') expect(Number.isSafeInteger(v)).toBe(true);
          }
          const periods = (s.invoices as { name: string; period_key: string | null; kind: string }[]).filter((i) => i.kind === 'subscription').map((i) => `${i.name}/${i.period_key}`);
          expect(new Set(periods).size).toBe(periods.length);
        } finally {
          daily.close();
          once.close();
        }
      }),
      // A fixed seed keeps CI repeatable; run with another seed locally to explore further.
      { numRuns: 40, seed: Number(process.env.PROPERTY_SEED ?? 20261121), endOnFailure: true },
    );
  }, 300_000);
});
