import { queryClient, rpcKey, useRpcMutation } from '../../../lib/query';
import { refreshCustomers } from './refresh-customers';

export function useDeleteCustomer() {
  return useRpcMutation('customers.delete', {
    onSuccess: ({ deleted }) => {
      // The deleted customer's own queries would only fail now; drop them instead of refetching.
      queryClient.removeQueries({ queryKey: rpcKey('customers.get', { id: deleted }) });
      refreshCustomers();
    },
  });
}
