import { useRpcMutation } from '../../../lib/query';
import { refreshUsers } from './refresh-users';

export function useDeleteUser() {
  return useRpcMutation('users.delete', { onSuccess: refreshUsers });
}
