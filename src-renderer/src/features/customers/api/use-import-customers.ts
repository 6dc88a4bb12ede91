import { useRpcMutation } from '../../../lib/query';
import { refreshCustomers } from './refresh-customers';

/** A dry run checks the file and writes nothing; a real run creates the good rows. */
export function useImportCustomers() {
  return useRpcMutation('customers.import', {
    onSuccess: (result) => {
      if (!result.dryRun) refreshCustomers();
    },
  });
}
