import { Badge, Tooltip } from '@mantine/core';
import type { SubscriptionStatus } from '@shared/domain/billing';
import { STATUS_COLORS, STATUS_HINTS, STATUS_LABELS } from '../subscription-format';

export function SubscriptionStatusBadge({ status, size = 'sm' }: { status: SubscriptionStatus; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <Tooltip label={STATUS_HINTS[status]} withArrow>
      <Badge variant="light" color={STATUS_COLORS[status]} size={size}>
        {STATUS_LABELS[status]}
      </Badge>
    </Tooltip>
  );
}
