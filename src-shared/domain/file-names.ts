/** A business name as the start of a file name: "Café Crème & Co" -> "caf-cr-me-co" ("recurra" if nothing is left). */
export function fileSlug(businessName: string): string {
  return businessName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'recurra';
}
