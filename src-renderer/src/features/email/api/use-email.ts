import { queryClient, rpcKey, useRpcMutation, useRpcQuery } from '../../../lib/query';

export const OUTBOX_PAGE = 50;

export interface OutboxFilter {
  status: 'queued' | 'sending' | 'sent' | 'failed' | null;
  kind: 'test' | 'invoice' | 'reminder' | 'campaign' | 'receipt' | null;
  search: string;
  page: number;
}

export function useSmtpSettings() {
  return useRpcQuery('email.settings.get', {});
}

export function useSaveSmtpSettings() {
  return useRpcMutation('email.settings.set', {
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: rpcKey('email.settings.get') }),
  });
}

export function useSendTestEmail() {
  return useRpcMutation('email.test');
}

export function useReminderDays() {
  return useRpcQuery('reminders.settings.get', {});
}

export function useSaveReminderDays() {
  return useRpcMutation('reminders.settings.set', {
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: rpcKey('reminders.settings.get') }),
  });
}

export function useOutbox(filter: OutboxFilter) {
  return useRpcQuery(
    'outbox.list',
    {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.search.trim() ? { search: filter.search.trim() } : {}),
      limit: OUTBOX_PAGE,
      offset: filter.page * OUTBOX_PAGE,
    },
    { placeholderData: (previous) => previous },
  );
}

const refreshOutbox = () => void queryClient.invalidateQueries({ queryKey: rpcKey('outbox.list') });

export function useSendNow() {
  return useRpcMutation('outbox.sendNow', { onSuccess: refreshOutbox, onError: refreshOutbox });
}

export function useSendInvoice() {
  return useRpcMutation('invoices.send', { onSuccess: refreshOutbox, onError: refreshOutbox });
}
