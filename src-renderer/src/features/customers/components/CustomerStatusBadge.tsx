import { Badge, type BadgeProps } from '@mantine/core';
import type { CustomerStatus } from '@shared/domain/customers';

export function CustomerStatusBadge({ status, ...props }: { status: CustomerStatus } & BadgeProps) {
  return (
    <Badge variant="dot" color={status === 'active' ? 'green' : 'gray'} {...props}>
      {status === 'active' ? 'Active' : 'Inactive'}
    </Badge>
  );
}
