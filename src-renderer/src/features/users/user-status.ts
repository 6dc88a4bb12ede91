import type { User } from '@shared/contract/users';

export type UserStatus = 'active' | 'locked' | 'deactivated';

/** Deactivated wins over locked: a deactivated user cannot log in either way. */
export function userStatus(user: Pick<User, 'active' | 'locked'>): UserStatus {
  if (!user.active) return 'deactivated';
  return user.locked ? 'locked' : 'active';
}

export const USER_STATUS_LABELS: Record<UserStatus, string> = {
  active: 'Active',
  locked: 'Locked',
  deactivated: 'Deactivated',
};

export const USER_STATUS_HINTS: Record<UserStatus, string> = {
  active: 'Can log in',
  locked: 'Too many wrong passwords; unlocks by itself, or reset the password',
  deactivated: 'Cannot log in until reactivated',
};
