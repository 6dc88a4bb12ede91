import { Badge, Button, Drawer, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { Product, StockMovementDto } from '@shared/contract/products';
import { useDates } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { useRpcQuery } from '../../../lib/query';
import { useProductMovements } from '../api';
import { StockCell } from './StockCell';

const KIND_LABELS: Record<StockMovementDto['kind'], { label: string; color: string }> = {
  received: { label: 'Received', color: 'green' },
  sold: { label: 'Sold', color: 'blue' },
  refunded: { label: 'Refunded', color: 'cyan' },
  count: { label: 'Count', color: 'violet' },
  damaged: { label: 'Damaged', color: 'red' },
  other: { label: 'Other', color: 'gray' },
};

/** One product: its details and its stock ledger, newest first, each line with the stock after it. */
export function ProductDetailDrawer({ productId, onClose, onAdjust, onEdit }: {
  productId: string;
  onClose: () => void;
  onAdjust?: ((p: Product) => void) | undefined;
  onEdit?: ((p: Product) => void) | undefined;
}) {
  const money = useMoney();
  const dates = useDates();
  const product = useRpcQuery('products.get', { id: productId });
  const movements = useProductMovements(productId);
  const p = product.data;

  return (
    <Drawer opened onClose={onClose} position="right" size="lg" title={p ? p.name : 'Product'}>
      {!p ? (
        <Loader size="sm" />
      ) : (
        <Stack gap="md">
          <SimpleGrid cols={3} spacing="sm">
            <Stack gap={2}>
              <Text size="xs" c="dimmed">SKU</Text>
              <Text size="sm" ff="monospace">{p.sku}</Text>
            </Stack>
            <Stack gap={2}>
              <Text size="xs" c="dimmed">Price</Text>
              <Text size="sm">{money.format(p.price)}</Text>
            </Stack>
            <Stack gap={2}>
              <Text size="xs" c="dimmed">Stock on hand</Text>
              <Group gap={4}>
                <StockCell product={p} />
                {p.lowStockAt !== null && <Text size="xs" c="dimmed">(warn at {p.lowStockAt})</Text>}
              </Group>
            </Stack>
          </SimpleGrid>
          {p.description && <Text size="sm">{p.description}</Text>}
          <Group gap="sm">
            {onAdjust && <Button size="xs" onClick={() => onAdjust(p)}>Adjust stock</Button>}
            {onEdit && <Button size="xs" variant="default" onClick={() => onEdit(p)}>Edit</Button>}
          </Group>
          <Title order={5}>Stock history</Title>
          {movements.data && movements.data.rows.length === 0 ? (
            <Text size="sm" c="dimmed">
              {p.stock === null ? 'This product’s stock is not tracked. Adjust stock to start counting it.' : 'No stock movements yet.'}
            </Text>
          ) : (
            <Table verticalSpacing="xs" data-testid="movement-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Date</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th ta="right">Qty</Table.Th>
                  <Table.Th>Who</Table.Th>
                  <Table.Th>Why</Table.Th>
                  <Table.Th ta="right">After</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {movements.data?.rows.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td><Text size="sm">{dates.day(m.occurredOn)}</Text></Table.Td>
                    <Table.Td><Badge size="sm" variant="light" color={KIND_LABELS[m.kind].color}>{KIND_LABELS[m.kind].label}</Badge></Table.Td>
                    <Table.Td ta="right"><Text size="sm" c={m.quantity < 0 ? 'red' : 'green'} fw={500}>{m.quantity > 0 ? `+${m.quantity}` : m.quantity}</Text></Table.Td>
                    <Table.Td><Text size="sm">{m.userName ?? '—'}</Text></Table.Td>
                    <Table.Td><Text size="sm" c={m.reason ? undefined : 'dimmed'}>{m.reason || '—'}</Text></Table.Td>
                    <Table.Td ta="right"><Text size="sm">{m.stockAfter}</Text></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
