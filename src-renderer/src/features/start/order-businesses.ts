import type { BusinessSummary } from '@shared/contract/business';

/** Last used first (it is the likely choice), then by name. */
export function orderBusinesses(list: readonly BusinessSummary[], lastId: string | null | undefined): BusinessSummary[] {
  return [...list].sort((a, b) => {
    if (a.id === lastId) return -1;
    if (b.id === lastId) return 1;
    return a.name.localeCompare(b.name);
  });
}
