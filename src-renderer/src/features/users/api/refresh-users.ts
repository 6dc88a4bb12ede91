import { queryClient, rpcKey } from '../../../lib/query';

/** After a user change, refetch the list now (the data-changed event would, a moment later). */
export function refreshUsers(): void {
  void queryClient.invalidateQueries({ queryKey: rpcKey('users.list') });
}
