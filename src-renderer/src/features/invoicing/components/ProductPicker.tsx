import { Group, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import { useState } from 'react';
import type { Product } from '@shared/contract/products';
import { useMoney } from '../../../lib/money';
import { useRpcQuery } from '../../../lib/query';
import { ProductCell } from '../../../components/ProductCell';

export type PickedProduct = Pick<Product, 'id' | 'sku' | 'name' | 'price'>;

interface Option {
  value: string;
  label: string;
  product: PickedProduct;
}

const optionOf = (p: PickedProduct): Option => ({ value: p.sku, label: `${p.name} · ${p.sku}`, product: p });

/**
 * A product line's product: searched on the server as typed (SKU prefix, name
 * words, category: products.list), each shown with its SKU and price. The value
 * is the SKU, which is what the line sends; archived products are not offered.
 */
export function ProductPicker({ sku, onPick, error, label }: { sku: string; onPick: (product: PickedProduct | null) => void; error?: React.ReactNode; label: string }) {
  const money = useMoney();
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<Option | null>(null);
  // Once picked the box shows the product's label; searching for that label would find nothing.
  const [debounced] = useDebouncedValue(picked && search === picked.label ? '' : search.trim(), 150);
  const found = useRpcQuery('products.list', { search: debounced || undefined, limit: 20 }, { placeholderData: keepPreviousData });
  const options = (found.data?.rows ?? []).map(optionOf);
  const data = picked && !options.some((o) => o.value === picked.value) ? [picked, ...options] : options;
  const bySku = new Map(data.map((o) => [o.value, o]));

  return (
    <Select
      style={{ flex: 1 }}
      aria-label={label}
      placeholder="Search a product by name, SKU or category"
      searchable
      clearable
      data={data}
      value={sku === '' ? null : sku}
      onChange={(value) => {
        const option = value === null ? null : (bySku.get(value) ?? null);
        setPicked(option);
        onPick(option?.product ?? null);
      }}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      renderOption={({ option }) => {
        const product = bySku.get(option.value)?.product;
        if (!product) return option.label;
        return (
          <Group justify="space-between" wrap="nowrap" w="100%" gap="md">
            <Stack gap={0}>
              <ProductCell name={product.name} sku={product.sku} />
            </Stack>
            <Text size="sm">{money.format(product.price)}</Text>
          </Group>
        );
      }}
      nothingFoundMessage={found.isFetching ? 'Searching…' : 'No product matches'}
      error={error}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
