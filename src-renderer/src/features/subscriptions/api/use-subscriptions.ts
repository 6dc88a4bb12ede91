import { keepPreviousData } from '@tanstack/react-query';
import type { SubscriptionStatus } from '@shared/domain/billing';
import { useRpcQuery } from '../../../lib/query';

export const SUBSCRIPTIONS_PAGE = 50;

export function useSubscriptions(filter: { status: SubscriptionStatus | null; search: string; page: number }) {
  const input = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.search.trim() ? { search: filter.search.trim() } : {}),
    offset: filter.page * SUBSCRIPTIONS_PAGE,
    limit: SUBSCRIPTIONS_PAGE,
  };
  return useRpcQuery('subscriptions.list', input, { placeholderData: keepPreviousData });
}
