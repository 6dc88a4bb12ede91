import { refreshSession } from '../../../lib/auth';
import { queryClient, rpcKey, useRpcMutation } from '../../../lib/query';

export function useUpdateBusiness() {
  return useRpcMutation('business.update', {
    onSuccess: (business) => {
      queryClient.setQueryData(rpcKey('business.get', {}), business);
      refreshSession(); // the header shows the business name from the session
    },
  });
}
