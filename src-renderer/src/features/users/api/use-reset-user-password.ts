import { useRpcMutation } from '../../../lib/query';
import { refreshUsers } from './refresh-users';

export function useResetUserPassword() {
  return useRpcMutation('users.resetPassword', { onSuccess: refreshUsers });
}
