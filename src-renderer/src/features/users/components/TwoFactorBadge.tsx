import { Badge, Tooltip } from '@mantine/core';
import type { User } from '@shared/contract/users';

type TwoFactorState = 'on' | 'required' | 'off';

const LABELS: Record<TwoFactorState, string> = { on: 'On', required: 'Off · required', off: 'Off' };
const COLORS: Record<TwoFactorState, string> = { on: 'green', required: 'orange', off: 'gray' };
const HINTS: Record<TwoFactorState, string> = {
  on: 'Logs in with a code from an authenticator app',
  required: 'You require two-factor login: they are asked to set it up at their next login',
  off: 'Logs in with a password only',
};

/** Settings → Users: whether this user logs in with a second factor. */
export function TwoFactorBadge({ twoFactor }: { twoFactor: User['twoFactor'] }) {
  const state: TwoFactorState = twoFactor.enabled ? 'on' : twoFactor.setupRequired ? 'required' : 'off';
  return (
    <Tooltip label={HINTS[state]} withArrow>
      <Badge variant="light" color={COLORS[state]} data-testid="two-factor-badge" data-state={state}>
        {LABELS[state]}
      </Badge>
    </Tooltip>
  );
}
