import type { CampaignAudience } from '@shared/contract/campaigns';
import { queryClient, rpcKey, useRpcMutation, useRpcQuery } from '../../../lib/query';

const refresh = () => {
  void queryClient.invalidateQueries({ queryKey: rpcKey('campaigns.list') });
  void queryClient.invalidateQueries({ queryKey: rpcKey('campaigns.get') });
  void queryClient.invalidateQueries({ queryKey: rpcKey('outbox.list') });
};

export const useCampaigns = () => useRpcQuery('campaigns.list', {});
export const useCampaign = (id: string) => useRpcQuery('campaigns.get', { id });
export const useAudiencePreview = (audience: CampaignAudience) => useRpcQuery('campaigns.preview', { audience }, { placeholderData: (previous) => previous });
export const useCustomerFacets = () => useRpcQuery('customers.facets', {});
export const useCustomerViews = () => useRpcQuery('customerViews.list', {});
export const useCreateCampaign = () => useRpcMutation('campaigns.create', { onSuccess: refresh });
export const useSendCampaign = () => useRpcMutation('campaigns.send', { onSuccess: refresh, onError: refresh });
