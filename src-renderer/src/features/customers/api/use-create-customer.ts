import { useRpcMutation } from '../../../lib/query';
import { refreshCustomers } from './refresh-customers';

export function useCreateCustomer() {
  return useRpcMutation('customers.create', { onSuccess: refreshCustomers });
}
