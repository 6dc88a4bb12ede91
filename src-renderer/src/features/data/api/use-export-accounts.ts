import { useRpcMutation } from '../../../lib/query';

/** Everything as a zip of CSV files for the accountant. */
export function useExportAccounts() {
  return useRpcMutation('backup.exportAccounts');
}
