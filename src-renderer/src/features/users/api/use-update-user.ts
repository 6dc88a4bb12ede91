import { refreshSession } from '../../../lib/auth';
import { useRpcMutation } from '../../../lib/query';
import { refreshUsers } from './refresh-users';

export function useUpdateUser() {
  return useRpcMutation('users.update', {
    onSuccess: () => {
      refreshUsers();
      refreshSession(); // the owner may have changed their own role or name
    },
  });
}
