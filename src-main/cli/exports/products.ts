import { FILTER_FLAGS } from '../commands/customer';
import type { Exporter } from './exporter';

/** Every product that is not archived (--search narrows it as `product list --search` does), in a file `import products` reads back. */
export const productsExporter: Exporter = {
  rangeMeans: 'nothing: products have no date range (give --search to narrow them)',
  filters: ['search'],
  usesRange: false,
  run: (ctx, request) => ctx.call('products.export', { search: request.filters.search, bom: request.bom }, FILTER_FLAGS),
};
