import { useRpcMutation } from '../../../lib/query';

/** The whole business as one file: a save dialog in the app, a one-time download in the browser host. Owner only. */
export function useCreateBackup() {
  return useRpcMutation('backup.create');
}
