import { useRpcMutation } from '../../../lib/query';

/** Writes a CSV: to the file the save dialog chose in the app, or to a one-time download in the browser host. */
export function useExportCustomers() {
  return useRpcMutation('customers.export');
}
