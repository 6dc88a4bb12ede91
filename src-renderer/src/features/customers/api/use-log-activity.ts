import { useRpcMutation } from '../../../lib/query';
import { refreshCustomers } from './refresh-customers';

export function useLogActivity() {
  return useRpcMutation('customers.logActivity', { onSuccess: refreshCustomers });
}
