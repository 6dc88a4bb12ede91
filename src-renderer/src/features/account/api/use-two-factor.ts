import { refreshSession } from '../../../lib/auth';
import { queryClient, rpcKey, useRpcMutation, useRpcQuery } from '../../../lib/query';

const refresh = () => {
  void queryClient.invalidateQueries({ queryKey: rpcKey('auth.twoFactorStatus') });
  refreshSession();
};

/** The caller's two-factor login: on or off, recovery codes left, whether the owner requires it. */
export function useTwoFactorStatus() {
  return useRpcQuery('auth.twoFactorStatus', {});
}

/** A new secret and its QR code (nothing is on until `confirm`). */
export function useTwoFactorSetup() {
  return useRpcMutation('auth.twoFactorSetup');
}

/** Turns it on with one code; the result holds the recovery codes, shown once. The session is refreshed by the caller when the codes are put away. */
export function useTwoFactorConfirm() {
  return useRpcMutation('auth.twoFactorConfirm', {
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: rpcKey('auth.twoFactorStatus') }),
  });
}

export function useTwoFactorDisable() {
  return useRpcMutation('auth.twoFactorDisable', { onSuccess: refresh });
}

export { refresh as refreshTwoFactor };
