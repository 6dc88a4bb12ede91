import { beforeAll, describe, expect, it } from 'vitest';
import { billedCli, type BilledCli } from './reports-fixtures';
import { withBilling } from './billing-fixtures';

let b: BilledCli;
beforeAll(async () => {
  b = await billedCli();
}, 60_000);

describe('recurra metrics', () => {
  it('prints exactly the document of spec/cli.md, keys in its order', async () => {
    const run = await b.human(['metrics', '--as-of', '2026-03-31', '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const doc = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(doc).toEqual({
      currency: 'USD',
      mrr: 6000,
      arr: 72000,
      activeSubscribers: 2,
      trialingSubscribers: 0,
      churnRate: 33.33,
      revenue: 8000,
      movements: { new: 0, expansion: 0, contraction: 0, churn: 6000, reactivation: 0, net: -6000 },
      arAging: { current: 0, d1to30: 6000, d31to60: 0, d61to90: 3000, over90: 0 },
    });
    expect(Object.keys(doc)).toEqual(['currency', 'mrr', 'arr', 'activeSubscribers', 'trialingSubscribers', 'churnRate', 'revenue', 'movements', 'arAging']);
    expect(Object.keys(doc.movements as object)).toEqual(['new', 'expansion', 'contraction', 'churn', 'reactivation', 'net']);
    expect(Object.keys(doc.arAging as object)).toEqual(['current', 'd1to30', 'd31to60', 'd61to90', 'over90']);
  });

  it('is the month of the date up to the date, and the history decides past dates', async () => {
    expect(await b.json(['metrics', '--as-of', '2026-01-31'])).toMatchObject({ mrr: 6000, churnRate: null, revenue: 3000, movements: { new: 6000, net: 6000 } });
    expect(await b.json(['metrics', '--as-of', '2026-02-28'])).toMatchObject({ mrr: 12000, churnRate: 0, movements: { new: 6000 } });
    expect(await b.json(['metrics', '--as-of', '2026-03-05'])).toMatchObject({ mrr: 12000, revenue: 8000, arAging: { current: 0, d1to30: 3000, d31to60: 3000 } }); // Bob: 35 and 4 days late
  });

  it('reads for people: money formatted, the churn rate as a percentage or n/a', async () => {
    const run = await b.human(['metrics', '--as-of', '2026-03-31']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      [
        'Metrics as of 2026-03-31 (USD)',
        'MRR:                   $60.00',
        'ARR:                   $720.00',
        'Active subscribers:    2',
        'Trialing subscribers:  0',
        'Churn rate (2026-03):  33.33%',
        'Revenue (2026-03):     $80.00',
        '',
        'MRR movements in 2026-03:',
        '  New:             $0.00',
        '  Reactivation:    $0.00',
        '  Expansion:       $0.00',
        '  Contraction:     $0.00',
        '  Churn:         -$60.00',
        '  Net:           -$60.00',
        '',
        'Accounts receivable by days past due:',
        '  Current:        $0.00',
        '  1-30 days:     $60.00',
        '  31-60 days:     $0.00',
        '  61-90 days:    $30.00',
        '  Over 90 days:   $0.00',
        '',
      ].join('\n'),
    );
    expect((await b.human(['metrics', '--as-of', '2026-01-31'])).stdout).toContain('Churn rate (2026-01):  n/a\n');
  });

  it('an empty business has zeros and no churn rate', async () => {
    const empty = await withBilling();
    expect(await empty.json(['metrics', '--as-of', '2026-03-31'])).toEqual({
      currency: 'USD', mrr: 0, arr: 0, activeSubscribers: 0, trialingSubscribers: 0, churnRate: null, revenue: 0,
      movements: { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 0 },
      arAging: { current: 0, d1to30: 0, d31to60: 0, d61to90: 0, over90: 0 },
    });
  });

  it('refuses: no --as-of (2), a bad date (1, naming --as-of), a wrong password (3); a viewer may read', async () => {
    expect(await b.refused(['metrics'])).toMatchObject({ code: 2, stdout: '', error: { code: 'usage', message: "required option '--as-of <date>' not specified" } });
    expect(await b.refused(['metrics', '--as-of', '2026-02-30'])).toMatchObject({
      code: 1,
      stdout: '',
      error: { code: 'validation', field: 'asOf', message: 'Use a date like 2026-03-01' },
      stderr: 'Error: --as-of: Use a date like 2026-03-01\n',
    });
    expect(await b.refused(['metrics', '--as-of', '2026-03-31'], { ...b.asOwner, RECURRA_PASSWORD: 'wrong password' })).toMatchObject({ code: 3, stdout: '' });
    expect(await b.json(['metrics', '--as-of', '2026-03-31'], await b.as('viewer'))).toMatchObject({ mrr: 6000 });
  });
});
