import { Badge, Tooltip } from '@mantine/core';
import type { User } from '@shared/contract/users';
import { USER_STATUS_HINTS, USER_STATUS_LABELS, userStatus, type UserStatus } from '../user-status';

const STATUS_COLORS: Record<UserStatus, string> = { active: 'green', locked: 'orange', deactivated: 'gray' };

export function UserStatusBadge({ user }: { user: User }) {
  const status = userStatus(user);
  return (
    <Tooltip label={USER_STATUS_HINTS[status]} withArrow>
      <Badge variant="dot" color={STATUS_COLORS[status]}>
        {USER_STATUS_LABELS[status]}
      </Badge>
    </Tooltip>
  );
}
