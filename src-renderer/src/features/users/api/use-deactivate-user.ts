import { useRpcMutation } from '../../../lib/query';
import { refreshUsers } from './refresh-users';

export function useDeactivateUser() {
  return useRpcMutation('users.deactivate', { onSuccess: refreshUsers });
}
