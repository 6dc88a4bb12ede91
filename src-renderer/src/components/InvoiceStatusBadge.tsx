import { Badge } from '@mantine/core';
import type { InvoiceStatus } from '@shared/domain/billing';

export const INVOICE_STATUS_LABELS: Record<InvoiceStatus, string> = {
  draft: 'Draft',
  open: 'Open',
  paid: 'Paid',
  void: 'Void',
  uncollectible: 'Uncollectible',
};

const COLORS: Record<InvoiceStatus, string> = { draft: 'gray', open: 'blue', paid: 'green', void: 'gray', uncollectible: 'red' };

export function InvoiceStatusBadge({ status, size = 'sm' }: { status: InvoiceStatus; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <Badge variant="light" color={COLORS[status]} size={size}>
      {INVOICE_STATUS_LABELS[status]}
    </Badge>
  );
}
