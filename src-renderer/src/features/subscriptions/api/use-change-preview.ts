import { keepPreviousData } from '@tanstack/react-query';
import type { Input } from '@shared/contract';
import { useRpcQuery } from '../../../lib/query';

/** What a change would write, line by line; asked again as the form changes (null: nothing to ask yet). */
export function useChangePreview(input: Input<'subscriptions.previewChange'> | null) {
  return useRpcQuery('subscriptions.previewChange', input ?? { id: '', on: '2000-01-01' }, {
    enabled: input !== null,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}
