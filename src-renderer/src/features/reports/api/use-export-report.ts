import { useRpcMutation } from '../../../lib/query';

/** Streams a report to CSV: to the file the save dialog chose in the app, or to a one-time download in the browser host. */
export function useExportReport() {
  return useRpcMutation('reports.export');
}
