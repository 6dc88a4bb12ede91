import { useRpcMutation } from '../../../lib/query';
import { refreshCustomers } from './refresh-customers';

export function useBulkChangeCustomers() {
  return useRpcMutation('customers.bulk', { onSuccess: refreshCustomers });
}
