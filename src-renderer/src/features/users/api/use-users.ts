import { useRpcQuery } from '../../../lib/query';

export function useUsers() {
  return useRpcQuery('users.list', {});
}
