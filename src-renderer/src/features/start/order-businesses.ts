/** Last used first (it is the likely choice), then by name. */
export function orderBusinesses<T extends { id: string; name: string }>(list: readonly T[], lastId: string | null | undefined): T[] {
  return [...list].sort((a, b) => {
    if (a.id === lastId) return -1;
    if (b.id === lastId) return 1;
    return a.name.localeCompare(b.name);
  });
}
