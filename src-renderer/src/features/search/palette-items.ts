import type { SearchResults } from '@shared/contract/search';
import type { InvoiceStatus, SubscriptionStatus } from '@shared/domain/billing';

// What the command palette lists for a query: pages of the app (matched here,
// by name) and customers, invoices and subscriptions (from search.anything),
// in groups, each item knowing where Enter takes you.

export interface PalettePage {
  label: string;
  path: string;
  /** Other words that find the page ("MRR" finds the dashboard). */
  keywords?: string[];
}

export type PaletteItem =
  | { kind: 'page'; key: string; to: string; label: string }
  | { kind: 'customer'; key: string; to: string; label: string; detail: string }
  | { kind: 'invoice'; key: string; to: string; label: string; detail: string; status: InvoiceStatus; total: number; currency: string; issueDate: string }
  | { kind: 'subscription'; key: string; to: string; label: string; detail: string; status: SubscriptionStatus };

export interface PaletteGroup {
  title: string;
  items: PaletteItem[];
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();

/** Pages whose name (or a keyword) contains the query; those whose name starts with it first. */
export function matchPages(pages: PalettePage[], query: string): PalettePage[] {
  const q = fold(query);
  if (!q) return pages;
  const starts = pages.filter((p) => fold(p.label).startsWith(q));
  const contains = pages.filter((p) => !starts.includes(p) && [p.label, ...(p.keywords ?? [])].some((w) => fold(w).includes(q)));
  return [...starts, ...contains];
}

export function paletteGroups(query: string, pages: PalettePage[], results: SearchResults | undefined): PaletteGroup[] {
  const q = fold(query);
  const pageItems: PaletteItem[] = matchPages(pages, query).map((p) => ({ kind: 'page', key: `page:${p.path}`, to: p.path, label: p.label }));
  const pageGroup = { title: 'Pages', items: pageItems };
  if (!q) return [pageGroup];
  const groups: PaletteGroup[] = [];
  if (results) {
    groups.push({
      title: results.fuzzy ? 'Customers (close matches)' : 'Customers',
      items: results.customers.map((c) => ({
        kind: 'customer',
        key: `customer:${c.id}`,
        to: `/customers/${c.id}`,
        label: c.name,
        detail: [c.email, c.company].filter(Boolean).join(' · '),
      })),
    });
    groups.push({
      title: 'Invoices',
      items: results.invoices.map((i) => ({
        kind: 'invoice',
        key: `invoice:${i.id}`,
        to: `/invoices/${i.id}`,
        label: i.number,
        detail: i.customerName,
        status: i.status,
        total: i.total,
        currency: i.currency,
        issueDate: i.issueDate,
      })),
    });
    groups.push({
      title: 'Subscriptions',
      items: results.subscriptions.map((s) => ({
        kind: 'subscription',
        key: `subscription:${s.id}`,
        to: `/subscriptions/${s.id}`,
        label: s.planName,
        detail: s.customerName,
        status: s.status,
      })),
    });
  }
  // A page whose name starts with what was typed is what was meant: it leads; other page matches follow the records.
  const leadingPage = pageItems.length > 0 && fold(pageItems[0]!.label).startsWith(q);
  if (leadingPage) groups.unshift(pageGroup);
  else groups.push(pageGroup);
  return groups.filter((g) => g.items.length > 0);
}
