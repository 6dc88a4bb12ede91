import { parsePercentToPpm } from '@shared/domain/money';
import { useRpcQuery } from '../../../lib/query';

/** The business's tax rate in parts per million (Settings > Business), as the core applies it to a sale. */
export function useTaxRate(): { ppm: number | null; label: string; error: unknown } {
  const business = useRpcQuery('business.get', {}, { staleTime: 60_000 });
  if (!business.data) return { ppm: null, label: '', error: business.error };
  let ppm = 0;
  try {
    ppm = parsePercentToPpm(business.data.taxRate || '0');
  } catch {
    ppm = 0;
  }
  return { ppm, label: business.data.taxRate || '0', error: null };
}
