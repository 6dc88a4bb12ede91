import { useRpcQuery } from '../../../lib/query';

/** The business's license signing public key; refreshed after a sync pulls it (the "business" module). */
export function useLicensePublicKey() {
  return useRpcQuery('business.licensePublicKey', {});
}
