import { Core } from '../src-main/core/core';
import { silentLogger } from '../src-main/core/ports';
import { sourceMigrationsDir } from '../src-main/core/paths';
import { productPageSql, productWhere } from '../src-main/core/products/products-service';
import type { Connection } from '../src-main/core/rpc';
import { latency, note, percentile, pick, rng, timeMs, timeMsAsync, type BenchResult } from './support';

// Product search at the counter: 10,000 products, `products.list` with a search
// (SKU prefix, name words, category: a products_fts MATCH) through the handler,
// against the same FTS query run raw on the same file in the same run (p50 and
// p95, target 1.5x).

const COUNT = 10_000;
const ROUNDS = 30;
const WORDS = ['yoga', 'mat', 'block', 'strap', 'towel', 'green', 'black', 'tea', 'water', 'bar', 'protein', 'class', 'pack', 'shirt', 'cap', 'bottle', 'organic', 'large', 'small', 'blue'];
const CATEGORIES = ['Gear', 'Drinks', 'Snacks', 'Clothing', 'Passes', 'Books'];
const SEARCHES = ['sku-01', 'SKU-0999', 'yoga', 'green tea', 'drinks', 'protein bar', 'bottle large', 'zzz'];

async function must<T>(promise: Promise<{ ok: true; data: unknown } | { ok: false; error: unknown }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.data as T;
}

function productsCsv(count: number): string {
  const random = rng(14);
  const lines = ['sku,name,price,category,stock,low_stock_at'];
  for (let i = 0; i < count; i++) {
    const name = [pick(random, WORDS), pick(random, WORDS), pick(random, WORDS)].join(' ');
    const tracked = random() < 0.7;
    lines.push(`SKU-${String(i).padStart(5, '0')},${name},${(1 + Math.floor(random() * 9000)) / 100},${pick(random, CATEGORIES)},${tracked ? Math.floor(random() * 50) : ''},${tracked ? 5 : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function productsBench(dataDir: string): Promise<BenchResult[]> {
  const core = new Core({ paths: { dataDir, migrationsDir: sourceMigrationsDir() }, logger: silentLogger });
  const results: BenchResult[] = [];
  try {
    const conn: Connection = { id: 'bench-products', sessionId: null, send() {} };
    const session = await must<{ business: { id: string } }>(
      core.dispatch(conn, 'business.signUp', { businessName: 'Bench Shop', currency: 'USD', timezone: 'UTC', ownerName: 'Bench Owner', ownerEmail: 'owner@example.com', password: 'benchmark password' }),
    );
    const db = core.businesses.get(session.business.id).sqlite;
    note(`products: importing ${COUNT.toLocaleString()} products`);
    await must(core.dispatch(conn, 'products.import', { csv: productsCsv(COUNT) }));
    db.exec('ANALYZE');

    const inputs = SEARCHES.map((search) => ({ search, lowStock: false, includeArchived: false, limit: 50, offset: 0 }));
    const ours = (input: (typeof inputs)[number]) => must(core.dispatch(conn, 'products.list', input));
    // The raw bound: the same SELECT (the products_fts MATCH, the page and the count), prepared once, rows not mapped.
    const raws = inputs.map((input) => {
      const { where, params } = productWhere(input);
      const page = db.prepare(productPageSql(where));
      return () => page.all(...params, input.limit, input.offset);
    });
    for (const input of inputs) await ours(input);
    for (const raw of raws) raw();
    const oursSamples: number[] = [];
    const rawSamples: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < inputs.length; i++) {
        rawSamples.push(timeMs(raws[i]!));
        oursSamples.push(await timeMsAsync(() => ours(inputs[i]!)));
      }
    }
    results.push(latency('products', 'search_p50', percentile(oursSamples, 50), percentile(rawSamples, 50), 1.5));
    results.push(latency('products', 'search_p95', percentile(oursSamples, 95), percentile(rawSamples, 95), 1.5));
    note(`products: search p95 ${percentile(oursSamples, 95).toFixed(2)} ms (raw ${percentile(rawSamples, 95).toFixed(2)} ms)`);

    // The scanner's exact lookup.
    const skus = Array.from({ length: 50 }, (_, i) => `sku-${String(i * 199).padStart(5, '0')}`);
    const rawSku = db.prepare('SELECT * FROM products WHERE lower(sku) = lower(?) AND archived_at IS NULL');
    for (const sku of skus.slice(0, 5)) {
      await must(core.dispatch(conn, 'products.bySku', { sku }));
      rawSku.get(sku);
    }
    const oursSku: number[] = [];
    const rawSkuSamples: number[] = [];
    for (const sku of skus) {
      rawSkuSamples.push(timeMs(() => rawSku.get(sku)));
      oursSku.push(await timeMsAsync(() => must(core.dispatch(conn, 'products.bySku', { sku }))));
    }
    // The raw lookup is ~15 µs: the ratio is mostly the fixed cost of a call (session, zod in and out, ~50 µs), hence 10x.
    results.push(latency('products', 'by_sku_p95', percentile(oursSku, 95), percentile(rawSkuSamples, 95), 10));
  } finally {
    core.close();
  }
  return results;
}
