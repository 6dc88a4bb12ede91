import { Badge } from '@mantine/core';

/**
 * A count beside a label (a tab's open invoices): round for one digit, a pill
 * that grows for more ("23", "1,204"), never cut. Nothing for zero.
 */
export function CountBadge({ count, label, locale = 'en-US' }: { count: number; label: string; locale?: string }) {
  if (count <= 0) return null;
  return (
    <Badge
      size="sm"
      variant="light"
      radius="xl"
      px={6}
      miw={20}
      aria-label={`${count} ${label}`}
      data-testid="count-badge"
      styles={{ label: { overflow: 'visible', fontVariantNumeric: 'tabular-nums' } }}
    >
      {count.toLocaleString(locale)}
    </Badge>
  );
}
