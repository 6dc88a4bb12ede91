import { useRpcMutation } from '../../../lib/query';
import { refreshUsers } from './refresh-users';

export function useCreateUser() {
  return useRpcMutation('users.create', { onSuccess: refreshUsers });
}
