import { ActionIcon, Anchor, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconMinus, IconPlus, IconShoppingCart, IconX } from '@tabler/icons-react';
import type { CartTotals } from '@shared/domain/sale-math';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { useMoney } from '../../../lib/money';
import { lineOfField, type Cart } from '../cart';
import type { Editing } from './LineEditor';
import classes from './Pos.module.css';
import { ProductCell } from '../../../components/ProductCell';

interface CartTableProps {
  cart: Cart;
  totals: CartTotals | null;
  /** The server's refusal of a line (too little stock), by product. */
  lineErrors: Record<string, string>;
  /** A refusal of the cart arithmetic ("items.1.discount"). */
  fieldError: { field: string; message: string } | null;
  onSelect(index: number): void;
  onBump(index: number, by: number): void;
  onEdit(kind: Editing['kind'], index: number): void;
  onRemove(index: number): void;
}

/** The lines rung up so far; the selected one (highlighted) is what +, -, F4, F6 and Del act on. */
export function CartTable({ cart, totals, lineErrors, fieldError, onSelect, onBump, onEdit, onRemove }: CartTableProps) {
  const money = useMoney();
  if (cart.lines.length === 0) {
    return (
      <EmptyPanel
        icon={<IconShoppingCart size={26} />}
        title="The cart is empty"
        description="Scan a barcode or type a product's name or SKU above, then Enter. Type 3*SKU to add three at once."
      />
    );
  }
  const errorLine = lineOfField(fieldError?.field);
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="cart">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Item</Table.Th>
            <Table.Th ta="center" w={150}>
              Quantity
            </Table.Th>
            <Table.Th ta="right">Price</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th w={44} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cart.lines.map((line, i) => {
            const computed = totals?.lines[i];
            const error = lineErrors[line.productId] ?? (errorLine === i ? fieldError?.message : undefined);
            const selected = i === cart.selected;
            const short = line.stock !== null && line.quantity > line.stock;
            return (
              <Table.Tr
                key={line.productId}
                data-testid="cart-line"
                data-selected={selected || undefined}
                aria-selected={selected}
                className={error ? classes.errorRow : selected ? classes.selectedRow : undefined}
                onClick={() => onSelect(i)}
              >
                <Table.Td>
                  <ProductCell name={line.name} sku={line.sku} note={line.stock !== null && `${line.stock} in stock`} size="md" fw={600} />
                  {short && !error && (
                    <Text size="xs" c="orange.7">
                      More than the {line.stock} in stock
                    </Text>
                  )}
                  {error && (
                    <Text size="sm" c="red.7" fw={500} role="alert" data-testid="line-error">
                      {error}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={6} justify="center" wrap="nowrap">
                    <ActionIcon variant="default" aria-label={`One fewer ${line.name}`} disabled={line.quantity <= 1} onClick={() => onBump(i, -1)} tabIndex={-1}>
                      <IconMinus size={14} />
                    </ActionIcon>
                    <Anchor
                      component="button"
                      type="button"
                      tabIndex={-1}
                      fw={700}
                      size="lg"
                      miw={32}
                      ta="center"
                      c="var(--mantine-color-text)"
                      data-testid="line-quantity"
                      aria-label={`Quantity of ${line.name}: ${line.quantity}. Change it`}
                      onClick={() => onEdit('quantity', i)}
                    >
                      {line.quantity}
                    </Anchor>
                    <ActionIcon variant="default" aria-label={`One more ${line.name}`} onClick={() => onBump(i, 1)} tabIndex={-1}>
                      <IconPlus size={14} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">{money.format(line.unitPrice)}</Text>
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  <Text fw={600} data-testid="line-amount">
                    {computed ? money.format(computed.gross) : '—'}
                  </Text>
                  <Anchor component="button" type="button" tabIndex={-1} size="xs" c={line.discount > 0 ? 'teal.7' : 'dimmed'} onClick={() => onEdit('lineDiscount', i)}>
                    {line.discount > 0 ? `−${money.format(line.discount)} discount` : 'Discount'}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <ActionIcon variant="subtle" color="gray" aria-label={`Remove ${line.name}`} onClick={() => onRemove(i)} tabIndex={-1}>
                    <IconX size={16} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {fieldError && errorLine === null && fieldError.field !== 'discount' && (
        <Stack px="md" pb="sm">
          <Text size="sm" c="red.7" role="alert">
            {fieldError.message}
          </Text>
        </Stack>
      )}
    </Paper>
  );
}
