import { useRpcMutation } from '../../../lib/query';

/** Writes the invoice's PDF wherever exports go: the app's save dialog, or a one-time download link in the browser host. */
export function useInvoicePdf() {
  return useRpcMutation('invoices.pdf');
}
