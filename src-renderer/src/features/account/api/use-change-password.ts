import { useRpcMutation } from '../../../lib/query';

export function useChangePassword() {
  return useRpcMutation('auth.changePassword');
}
