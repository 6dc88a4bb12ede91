import { useRpcMutation } from '../../../lib/query';
import { refreshCustomers } from './refresh-customers';

export function useUpdateCustomer() {
  return useRpcMutation('customers.update', { onSuccess: refreshCustomers });
}
