import { Badge, type BadgeProps } from '@mantine/core';
import { ROLE_LABELS, type Role } from '@shared/domain/roles';

const ROLE_COLORS: Record<Role, string> = { owner: 'grape', staff: 'blue', viewer: 'gray' };

export function RoleBadge({ role, ...props }: { role: Role } & Omit<BadgeProps, 'color' | 'children'>) {
  return (
    <Badge variant="light" color={ROLE_COLORS[role]} {...props}>
      {ROLE_LABELS[role]}
    </Badge>
  );
}
