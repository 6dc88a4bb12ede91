import { useRpcMutation } from '../../../lib/query';

export function useLogout() {
  return useRpcMutation('auth.logout');
}
