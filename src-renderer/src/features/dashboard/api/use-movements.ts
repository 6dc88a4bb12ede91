import type { MovementKind } from '../metric-help';
import { useRpcQuery } from '../../../lib/query';

/** The customers behind a month's MRR movements (all kinds, or one); nothing is asked while no month is chosen. */
export function useMovements(month: string | null, asOf: string, kind: MovementKind | null) {
  const input = { month: month ?? '', asOf, ...(kind ? { kind } : {}) };
  return useRpcQuery('metrics.movements', input, { enabled: month !== null, staleTime: 0 });
}
