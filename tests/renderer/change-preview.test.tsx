import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ChangePreview } from '@shared/contract/billing';
import type { Session } from '@shared/contract/auth';
import { theme } from '../../src-renderer/src/app/theme';
import { ChangePreviewPanel } from '../../src-renderer/src/features/subscriptions/components/ChangePreviewPanel';
import { SessionContext } from '../../src-renderer/src/lib/auth';

const SESSION: Session = {
  business: { id: 'biz-1', name: 'Sunrise Yoga', currency: 'USD', timezone: 'UTC', locale: 'en-US' },
  user: { id: 'u1', name: 'Sam', email: 'sam@example.com', role: 'owner' },
};

const line = (kind: 'recurring' | 'proration' | 'tax', description: string, amount: number, period: [string, string] | null = null) => ({
  kind,
  description,
  quantity: 1,
  unitAmount: kind === 'recurring' ? amount : null,
  amount,
  periodStart: period?.[0] ?? null,
  periodEnd: period?.[1] ?? null,
});

// What subscriptions.previewChange answers for $30 -> $60 on Mar 11 with a 20% tax.
const PREVIEW: ChangePreview = {
  effectiveOn: '2026-03-11',
  prorationLines: [line('proration', 'Unused time on Basic (2026-03-11 to 2026-03-31)', -2032, ['2026-03-11', '2026-04-01'])],
  invoiceNow: null,
  nextInvoice: {
    issueDate: '2026-04-01',
    lines: [line('recurring', 'Pro', 6000, ['2026-04-01', '2026-05-01']), line('proration', 'Unused time on Basic (2026-03-11 to 2026-03-31)', -2032, ['2026-03-11', '2026-04-01']), line('tax', 'Tax', 794)],
    subtotal: 3968,
    discount: 0,
    tax: 794,
    taxRatePpm: 200_000,
    total: 4762,
    amountDue: 4762,
  },
  currency: 'USD',
  trialEndsOn: null,
};

function renderPreview(preview: ChangePreview) {
  return render(
    <MantineProvider theme={theme}>
      <SessionContext.Provider value={SESSION}>
        <ChangePreviewPanel reason={null} preview={{ data: preview, error: null, isFetching: false, isPlaceholderData: false }} />
      </SessionContext.Provider>
    </MantineProvider>,
  );
}

describe('the change preview', () => {
  it('shows the tax rate beside the next invoice’s tax, and no ISO dates', () => {
    renderPreview(PREVIEW);
    const next = screen.getByTestId('preview-next-invoice');
    const tax = within(next).getByTestId('totals-tax');
    expect(tax.textContent).toBe('$7.94');
    expect(tax.previousElementSibling?.textContent).toBe('Tax (20%)');
    expect(screen.getByTestId('change-preview').textContent).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('shows a plain "Tax" when the rate is not known', () => {
    renderPreview({ ...PREVIEW, nextInvoice: { ...PREVIEW.nextInvoice!, taxRatePpm: null } });
    expect(within(screen.getByTestId('preview-next-invoice')).getByTestId('totals-tax').previousElementSibling?.textContent).toBe('Tax');
  });
});
