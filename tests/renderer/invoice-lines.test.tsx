import { describe, expect, it } from 'vitest';
import { formatTaxRate, readableDescription } from '../../src-renderer/src/components/InvoiceLines';

describe('invoice lines as people read them', () => {
  it('drops a proration line’s ISO range when its period is shown under it, and formats it otherwise', () => {
    const line = { description: 'Unused time on Gold x 2 (2026-06-15 to 2026-07-05)', periodStart: '2026-06-15', periodEnd: '2026-07-06' };
    expect(readableDescription(line)).toBe('Unused time on Gold x 2');
    expect(readableDescription({ ...line, periodStart: null, periodEnd: null })).toBe('Unused time on Gold x 2 (Jun 15\u2009–\u2009Jul 5, 2026)');
    expect(readableDescription({ description: 'Late fee from 2026-03-01', periodStart: null, periodEnd: null })).toBe('Late fee from Mar 1, 2026');
    expect(readableDescription({ description: 'Gold', periodStart: '2026-06-01', periodEnd: '2026-07-01' })).toBe('Gold');
  });

  it('shows a tax rate in parts per million as a percentage', () => {
    expect(formatTaxRate(82_500)).toBe('8.25%');
    expect(formatTaxRate(200_000)).toBe('20%');
    expect(formatTaxRate(71_250, 'de-DE')).toBe('7,125%');
  });
});
