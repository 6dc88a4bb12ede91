import { describe, expect, it } from 'vitest';
import { addDays } from '@shared/domain/dates';
import { fitSes, nextBestBacktest, productInsights, type ProductRow, type SaleLineRow } from '@shared/insights/products';

const product = (id: string, stock: number | null = null, archived = false): ProductRow => ({ id, sku: id.toUpperCase(), name: `Product ${id}`, stock, lowStockAt: null, archived });
const PRODUCTS = [product('mat', 20), product('strap'), product('tea'), product('towel'), product('old', null, true)];

let n = 0;
function line(customerId: string | null, date: string, productId: string, quantity = 1, revenue = 1000 * quantity, saleId = `s${++n}`): SaleLineRow {
  return { saleId, customerId, date, productId, quantity, revenue };
}

describe('best sellers and demand', () => {
  it('ranks by revenue and by units over the period, net of refunds', () => {
    const lines = [line(null, '2026-03-02', 'tea', 10, 5000), line('c1', '2026-03-03', 'mat', 2, 8000), line('c2', '2026-03-04', 'mat', 1, 4000), line(null, '2026-02-01', 'towel', 50)];
    const r = productInsights({ today: '2026-03-31', from: '2026-03-01', to: '2026-03-31', customerId: null, lines, products: PRODUCTS });
    expect(r.bestSellers).toEqual([
      { productId: 'mat', sku: 'MAT', name: 'Product mat', units: 3, revenue: 12000, customers: 2, rankByUnits: 2, rankByRevenue: 1 },
      { productId: 'tea', sku: 'TEA', name: 'Product tea', units: 10, revenue: 5000, customers: 0, rankByUnits: 1, rankByRevenue: 2 },
    ]);
  });

  it('weekly demand with a band, stock running out, and a backtest against last week', () => {
    // 20 weeks of a mat selling 7, 9, 5, 8, … a week (Mondays from 2026-01-05), 20 in stock.
    const pattern = [7, 9, 5, 8, 6, 10, 7, 8];
    const lines: SaleLineRow[] = [];
    for (let w = 0; w < 20; w++) lines.push(line(null, addDays('2026-01-05', 7 * w + 2), 'mat', pattern[w % pattern.length]!));
    const r = productInsights({ today: '2026-05-27', from: '2026-01-01', to: '2026-05-27', customerId: null, lines, products: PRODUCTS });
    const mat = r.demand.find((d) => d.sku === 'MAT')!;
    expect(mat.history).toHaveLength(20);
    expect(mat.history.at(-1)!.week).toBe('2026-05-18');
    expect(mat.weeks.map((w) => w.week)).toEqual(['2026-05-25', '2026-06-01', '2026-06-08', '2026-06-15']);
    const week = mat.weeks[0]!;
    expect(week.quantity).toBeGreaterThan(6);
    expect(week.quantity).toBeLessThan(9);
    expect(week.low).toBeLessThan(week.quantity);
    expect(week.high).toBeGreaterThan(week.quantity);
    // 20 units at about 7.5 a week: some 18 days.
    expect(mat.stockoutInDays).toBeGreaterThan(14);
    expect(mat.stockoutInDays).toBeLessThan(22);
    expect(mat.text).toMatch(/^Product mat sells about 7\.\d a week \(most weeks .* to .*\); low stock in \d+ days \(20 left\)\.$/);
    expect(r.backtest.demand.heldOut).toBe(4);
    expect(r.backtest.demand.mape!).toBeLessThan(r.backtest.demand.naiveMape!);
  });

  it('smoothing on a constant series predicts it exactly', () => {
    expect(fitSes([4, 4, 4, 4, 4, 4])).toMatchObject({ level: 4, rmse: 0 });
  });
});

describe('next best product', () => {
  // 10 customers bought a mat; 8 of them came back for a strap. 10 others came for tea, then a towel.
  function bundleBook(): SaleLineRow[] {
    const lines: SaleLineRow[] = [];
    for (let c = 0; c < 10; c++) {
      lines.push(line(`c${c}`, '2026-02-01', 'mat'));
      if (c < 8) lines.push(line(`c${c}`, '2026-02-10', 'strap'));
    }
    for (let c = 0; c < 10; c++) lines.push(line(`t${c}`, '2026-02-03', 'tea'), line(`t${c}`, '2026-02-12', 'towel'));
    return lines;
  }

  it('suggests what customers with the same product bought next, in words, never what they have or what is archived', () => {
    const lines = [...bundleBook(), line('new', '2026-03-01', 'mat'), line('c0', '2026-02-01', 'old'), line('c1', '2026-02-11', 'old')];
    const r = productInsights({ today: '2026-03-31', from: '2026-03-01', to: '2026-03-31', customerId: 'new', lines, products: PRODUCTS });
    expect(r.nextBest[0]).toMatchObject({ productId: 'strap', sku: 'STRAP', name: 'Product strap', because: 'Customers who bought Product mat also bought Product strap (89 % of their next visits, 8 times).' });
    // 89 %: c0's sale of the archived product was a visit without a strap.
    expect(r.nextBest[0]!.score).toBeGreaterThan(0.5);
    expect(r.nextBest.map((x) => x.productId)).not.toContain('mat');
    expect(r.nextBest.map((x) => x.productId)).not.toContain('old');
    // The towel sells as a follow-up to tea, which this customer has not bought: not suggested.
    expect(r.nextBest.map((x) => x.productId)).toEqual(['strap']);
    // A tea drinker is not pushed the strap either: it sells as a mat's follow-up.
    const tea = productInsights({ today: '2026-03-31', from: '2026-03-01', to: '2026-03-31', customerId: 't0', lines, products: PRODUCTS });
    expect(tea.nextBest.map((x) => x.productId)).toEqual([]);
    expect(r.bundles.map((b) => [b.sku, b.withSku])).toEqual([['TEA', 'TOWEL'], ['STRAP', 'MAT']]);
  });

  it('bundles: products in the same customers\' baskets more often than chance', () => {
    const lines: SaleLineRow[] = [];
    for (let c = 0; c < 6; c++) lines.push(line(`r${c}`, '2026-02-01', 'mat', 1, 1000, `r${c}`), line(`r${c}`, '2026-02-01', 'strap', 1, 1000, `r${c}`));
    for (let c = 0; c < 12; c++) lines.push(line(`s${c}`, '2026-02-01', c < 2 ? 'strap' : 'tea'));
    const r = productInsights({ today: '2026-03-31', from: '2026-02-01', to: '2026-03-31', customerId: null, lines, products: PRODUCTS });
    expect(r.bundles).toHaveLength(1);
    expect(r.bundles[0]!.text).toBe('Customers who bought Product mat also bought Product strap (100 %, 6 customers; 2.25x more often than chance).');
  });

  it('no sales at all gives ready false and empty lists', () => {
    const empty = productInsights({ today: '2026-03-31', from: '2026-03-01', to: '2026-03-31', customerId: 'x', lines: [], products: [] });
    expect(empty).toMatchObject({ ready: false, reason: 'No counter sales in the books yet.', bestSellers: [], demand: [], nextBest: [], bundles: [] });
    expect(empty.backtest.demand).toMatchObject({ mape: null, naiveMape: null });
    expect(empty.backtest.nextBest).toMatchObject({ hitRate: null, popularHitRate: null, customers: 0 });
  });

  it('a single product: best seller, no rules, nothing new to suggest', () => {
    const lines = [line('a', '2026-03-01', 'mat'), line('b', '2026-03-02', 'mat'), line('a', '2026-03-05', 'mat')];
    const r = productInsights({ today: '2026-03-31', from: '2026-03-01', to: '2026-03-31', customerId: 'a', lines, products: [product('mat')] });
    expect(r.bestSellers).toHaveLength(1);
    expect(r.nextBest).toEqual([]);
    expect(r.bundles).toEqual([]);
  });

  it('backtest on held-out last purchases: the follow-up rule beats the most popular', () => {
    const lines: SaleLineRow[] = [];
    // 20 customers bought a mat, then a strap, then a mat again (their last sale: nothing new, not tested);
    // 40 bought a mat, then a strap on their last visit (held out); tea, towel and cap are far more popular.
    for (let c = 0; c < 20; c++) lines.push(line(`p${c}`, '2026-01-03', 'mat'), line(`p${c}`, '2026-01-13', 'strap'), line(`p${c}`, '2026-01-23', 'mat'));
    for (let c = 0; c < 40; c++) lines.push(line(`b${c}`, '2026-01-10', 'mat'), line(`b${c}`, '2026-02-10', 'strap'));
    for (let c = 0; c < 30; c++) lines.push(line(`u${c}`, '2026-01-05', 'tea'), line(`u${c}`, '2026-01-15', 'towel'), line(`u${c}`, '2026-01-25', 'tea'));
    for (let c = 0; c < 100; c++) lines.push(line(`t${c}`, '2026-01-05', 'tea', 1, 1000, `t${c}`), line(`t${c}`, '2026-01-05', 'towel', 1, 1000, `t${c}`));
    for (let c = 0; c < 50; c++) lines.push(line(`k${c}`, '2026-01-05', 'cap', 1, 1000, `k${c}`));
    const b = nextBestBacktest(lines, new Map([...PRODUCTS, product('cap')].map((p) => [p.id, p])));
    expect(b.customers).toBe(40);
    expect(b.hitRate).toBe(1);
    expect(b.popularHitRate).toBe(0);
    expect(b.text).toBe("On each of 40 returning customers' last purchase, one of the 3 suggestions was bought 100% of the time, against 0% for the 3 most popular products.");
  });

  it('backtest where nothing guessed right: says it is too little to tell, not "0% against 0%"', () => {
    // Every returning customer's last purchase is a product nobody bought before: no suggestion could name it.
    const lines: SaleLineRow[] = [];
    const catalog = [];
    for (let c = 0; c < 40; c++) {
      lines.push(line(`c${c}`, '2026-01-05', `first${c}`), line(`c${c}`, '2026-02-05', `last${c}`));
      catalog.push(product(`first${c}`), product(`last${c}`));
    }
    const b = nextBestBacktest(lines, new Map(catalog.map((p) => [p.id, p])));
    expect(b).toMatchObject({ customers: 40, hitRate: 0, popularHitRate: 0 });
    expect(b.text).toBe('On the last purchase of each of 40 returning customers, neither these suggestions nor the 3 most popular products were what they bought: too little to tell yet.');
  });
});
