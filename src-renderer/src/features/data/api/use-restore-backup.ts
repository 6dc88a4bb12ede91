import { useMutation } from '@tanstack/react-query';
import type { Output } from '@shared/contract';
import { invoke, uploadFile, type RpcError } from '../../../lib/ipc';
import { queryClient, rpcKey } from '../../../lib/query';

export interface RestoreRequest {
  file: File | null;
  /** An owner's email and password in the backup; none when the logged-in owner restores their own business's backup. */
  email: string;
  password: string;
  /** The passphrase the backup was made with; empty for a backup from before encryption. */
  passphrase: string;
}

/**
 * A backup becomes a new business on this PC. In the browser host the file the
 * person picked is uploaded first (the host keeps it for the call); in the app
 * main shows its own open dialog, so there is no file to pass.
 */
export function useRestoreBackup() {
  return useMutation<Output<'backup.restore'>, RpcError, RestoreRequest>({
    mutationFn: async ({ file, email, password, passphrase }) => {
      if (file) await uploadFile(file);
      return invoke('backup.restore', { ...(email || password ? { email, password } : {}), ...(passphrase ? { passphrase } : {}) });
    },
    onSuccess: (result) => {
      if (result.business) void queryClient.invalidateQueries({ queryKey: rpcKey('business.list') });
    },
  });
}
