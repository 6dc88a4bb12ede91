import { ActionIcon, Button, Group, Menu, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArchive, IconArchiveOff, IconBarcode, IconDots, IconDownload, IconHistory, IconPencil, IconPlus, IconSearch, IconStack2 } from '@tabler/icons-react';
import { useState } from 'react';
import type { Product } from '@shared/contract/products';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { ListStates } from '../../../components/ListStates';
import { PageHeader } from '../../../components/PageHeader';
import { actionsColumn, TableCard } from '../../../components/ScrollTable';
import { useCan } from '../../../lib/auth';
import { useMoney } from '../../../lib/money';
import { useArchiveProduct, useProductCategories, useProducts, useUnarchiveProduct } from '../api';
import { AdjustStockModal } from './AdjustStockModal';
import { ExportProductsModal } from './ExportProductsModal';
import { ProductDetailDrawer } from './ProductDetailDrawer';
import { ProductFormModal } from './ProductFormModal';
import { StockCell } from './StockCell';
import { ProductCell } from '../../../components/ProductCell';

type Dialog = { kind: 'edit' | 'stock' | 'detail'; product: Product } | { kind: 'create' } | { kind: 'export' };

/** Products sold at the counter: price, stock on hand, and the ledger behind it. */
export function ProductsPage() {
  const canEdit = useCan('staff');
  const money = useMoney();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 150);
  const [category, setCategory] = useState<string | null>(null);
  const [lowStock, setLowStock] = useState(false);
  const [showArchived, setShowArchived] = useState(false);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const filter = { search: debounced || undefined, category: category ?? undefined, lowStock, includeArchived: showArchived };
  const products = useProducts({ ...filter, limit: 500 });
  const categories = useProductCategories();
  const archive = useArchiveProduct();
  const unarchive = useUnarchiveProduct();
  const filtered = debounced !== '' || category !== null || lowStock;
  const close = () => setDialog(null);
  const total = products.data?.total ?? 0;

  return (
    <>
      <PageHeader
        title="Products"
        description="What you sell at the counter, its price, and how many are on the shelf."
        actions={
          <>
            <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => setDialog({ kind: 'export' })} disabled={total === 0}>
              Export CSV
            </Button>
            {canEdit && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'create' })}>
                New product
              </Button>
            )}
          </>
        }
      />
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Group gap="sm" wrap="wrap">
            <TextInput
              aria-label="Search products"
              placeholder="Search SKU, name or category"
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={280}
            />
            <Select aria-label="Category" placeholder="All categories" clearable data={categories.data ?? []} value={category} onChange={setCategory} w={200} />
            <Switch label="Low stock only" checked={lowStock} onChange={(e) => setLowStock(e.currentTarget.checked)} />
          </Group>
          <Group gap="md">
            <Text size="sm" c="dimmed">
              {products.data ? `${total} ${total === 1 ? 'product' : 'products'}` : ''}
            </Text>
            <Switch label="Show archived" checked={showArchived} onChange={(e) => setShowArchived(e.currentTarget.checked)} />
          </Group>
        </Group>
        <ListStates
          query={products}
          what="products"
          isEmpty={products.data?.rows.length === 0}
          empty={
            filtered ? (
              <EmptyPanel
                icon={<IconSearch size={26} />}
                title={lowStock ? 'Nothing is running low' : 'No product matches'}
                description={lowStock ? 'Every tracked product is above its low-stock level.' : 'Try part of the SKU, a word of the name, or clear the category.'}
              />
            ) : (
              <EmptyPanel
                icon={<IconBarcode size={26} />}
                title="No products yet"
                description="Add what you sell over the counter (a drink, a mat, a class pack) with its price. Give the stock on hand to have it counted, and a low-stock level to be warned before it runs out."
              >
                {canEdit && (
                  <Button mt="md" leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'create' })}>
                    Add your first product
                  </Button>
                )}
              </EmptyPanel>
            )
          }
        >
          <TableCard minWidth={760} highlightOnHover columns={['Product', 'Category', { label: 'Price', align: 'right' }, { label: 'Stock', align: 'right' }, actionsColumn()]}>
            {products.data?.rows.map((p) => (
              <Table.Tr key={p.id} data-testid={`product-row-${p.sku}`} opacity={p.archived ? 0.7 : 1} style={{ cursor: 'pointer' }} onClick={() => setDialog({ kind: 'detail', product: p })}>
                <Table.Td>
                  <ProductCell name={p.name} sku={p.sku} tag={p.archived && 'Archived'} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={p.category ? undefined : 'dimmed'}>
                    {p.category || '—'}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{money.format(p.price)}</Text>
                </Table.Td>
                <Table.Td ta="right">
                  <StockCell product={p} />
                </Table.Td>
                <Table.Td onClick={(e) => e.stopPropagation()}>
                  {canEdit && (
                    <Menu position="bottom-end" withinPortal>
                      <Menu.Target>
                        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${p.name}`}>
                          <IconDots size={16} />
                        </ActionIcon>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item leftSection={<IconStack2 size={14} />} onClick={() => setDialog({ kind: 'stock', product: p })}>
                          Adjust stock
                        </Menu.Item>
                        <Menu.Item leftSection={<IconHistory size={14} />} onClick={() => setDialog({ kind: 'detail', product: p })}>
                          Stock history
                        </Menu.Item>
                        <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => setDialog({ kind: 'edit', product: p })}>
                          Edit
                        </Menu.Item>
                        {p.archived ? (
                          <Menu.Item leftSection={<IconArchiveOff size={14} />} onClick={() => unarchive.mutate({ id: p.id })}>
                            Unarchive
                          </Menu.Item>
                        ) : (
                          <Menu.Item leftSection={<IconArchive size={14} />} onClick={() => archive.mutate({ id: p.id })}>
                            Archive
                          </Menu.Item>
                        )}
                      </Menu.Dropdown>
                    </Menu>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </TableCard>
        </ListStates>
      </Stack>
      {dialog?.kind === 'create' && <ProductFormModal onClose={close} />}
      {dialog?.kind === 'export' && <ExportProductsModal filter={filter} count={total} onClose={close} />}
      {dialog?.kind === 'edit' && <ProductFormModal key={dialog.product.id} product={dialog.product} onClose={close} />}
      {dialog?.kind === 'stock' && <AdjustStockModal key={dialog.product.id} product={dialog.product} onClose={close} />}
      {dialog?.kind === 'detail' && (
        <ProductDetailDrawer
          productId={dialog.product.id}
          onClose={close}
          onAdjust={canEdit ? (product) => setDialog({ kind: 'stock', product }) : undefined}
          onEdit={canEdit ? (product) => setDialog({ kind: 'edit', product }) : undefined}
        />
      )}
    </>
  );
}
