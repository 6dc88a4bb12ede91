import { useRpcMutation } from '../../../lib/query';
import { refreshUsers } from './refresh-users';

export function useReactivateUser() {
  return useRpcMutation('users.reactivate', { onSuccess: refreshUsers });
}
