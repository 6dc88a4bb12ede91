import { describe, expect, it } from 'vitest';
import { matchPages, paletteGroups, type PalettePage } from '../../src-renderer/src/features/search/palette-items';

const PAGES: PalettePage[] = [
  { label: 'Dashboard', path: '/dashboard', keywords: ['MRR'] },
  { label: 'Customers', path: '/customers' },
  { label: 'Reports', path: '/reports', keywords: ['Export'] },
];

const results = {
  customers: [{ id: 'c1', name: 'Rena Porter', email: 'rena@example.com', company: 'Porter Co' }],
  invoices: [{ id: 'i1', number: 'INV-000003', customerName: 'Rena Porter', status: 'open' as const, issueDate: '2026-04-01', total: 3000, currency: 'USD' }],
  subscriptions: [],
  fuzzy: false,
};

describe('the command palette list', () => {
  it('offers every page before anything is typed', () => {
    expect(paletteGroups('', PAGES, undefined)).toEqual([{ title: 'Pages', items: PAGES.map((p) => ({ kind: 'page', key: `page:${p.path}`, to: p.path, label: p.label })) }]);
  });

  it('finds pages by name or keyword, those starting with the text first', () => {
    expect(matchPages(PAGES, 'rep').map((p) => p.label)).toEqual(['Reports']);
    expect(matchPages(PAGES, 'mrr').map((p) => p.label)).toEqual(['Dashboard']);
    expect(matchPages(PAGES, 'o').map((p) => p.label)).toEqual(['Dashboard', 'Customers', 'Reports'].filter((l) => l.toLowerCase().includes('o')));
  });

  it('puts a page first when its name starts with the text, after the records otherwise; empty groups are left out', () => {
    const groups = paletteGroups('Rep', PAGES, results);
    expect(groups.map((g) => g.title)).toEqual(['Pages', 'Customers', 'Invoices']);
    expect(groups[0]!.items[0]).toMatchObject({ to: '/reports' });
    expect(paletteGroups('Porter', PAGES, results).map((g) => g.title)).toEqual(['Customers', 'Invoices']);
    expect(paletteGroups('Porter', PAGES, results)[1]!.items[0]).toMatchObject({ kind: 'invoice', to: '/invoices/i1', label: 'INV-000003', detail: 'Rena Porter' });
    expect(paletteGroups('Porter', PAGES, { ...results, fuzzy: true })[0]!.title).toBe('Customers (close matches)');
    expect(paletteGroups('export', PAGES, { customers: [], invoices: [], subscriptions: [], fuzzy: false }).map((g) => g.title)).toEqual(['Pages']);
  });
});
