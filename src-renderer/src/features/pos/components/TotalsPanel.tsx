import { Anchor, Button, Divider, Group, Kbd, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconCash } from '@tabler/icons-react';
import type { RefObject } from 'react';
import { ppmToPercentString } from '@shared/domain/money';
import { CustomerPicker } from '../../../components/CustomerPicker';
import { useMoney } from '../../../lib/money';
import type { Cart, CartCustomer, Totals } from '../cart';
import classes from './Pos.module.css';

/** What each key does on this screen: shown beside the cart, as a counter needs it. */
export const SHORTCUTS: [string, string][] = [
  ['Enter', 'add item'],
  ['F2', 'pay'],
  ['↑ ↓', 'pick'],
  ['+ −', 'line quantity'],
  ['F4', 'type quantity'],
  ['F6', 'line discount'],
  ['F7', 'sale discount'],
  ['F8', 'customer'],
  ['Del', 'remove line'],
  ['Esc', 'clear / back'],
];

interface TotalsPanelProps {
  cart: Cart;
  totals: Totals | null;
  taxLabel: string;
  customerRef: RefObject<HTMLInputElement | null>;
  onCustomer(customer: CartCustomer | null): void;
  /** Esc in the customer box: back to the scan box. */
  onLeaveCustomer(): void;
  onDiscount(): void;
  onPay(): void;
  canPay: boolean;
}

/** The customer, the figures (from sale-math), the pay button and the keys. */
export function TotalsPanel({ cart, totals, taxLabel, customerRef, onCustomer, onLeaveCustomer, onDiscount, onPay, canPay }: TotalsPanelProps) {
  const money = useMoney();
  const t = totals?.ok ? totals.totals : null;
  const discountError = totals && !totals.ok && totals.field === 'discount' ? totals.message : null;
  const discountLabel =
    cart.discount === null ? null : 'percentPpm' in cart.discount ? `Discount (${ppmToPercentString(cart.discount.percentPpm)}%)` : 'Discount';
  return (
    <>
      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <CustomerPicker
            ref={customerRef}
            label={
              <>
                Customer <Text span c="dimmed" size="xs">(optional · F8)</Text>
              </>
            }
            value={cart.customer}
            onChange={onCustomer}
            onKeyDown={(e) => {
              if (e.key === 'Escape') onLeaveCustomer();
            }}
          />
          <Divider />
          <Row label="Subtotal" value={t ? money.format(t.subtotal) : '—'} testId="subtotal" />
          <Group justify="space-between" wrap="nowrap">
            <Anchor component="button" type="button" size="sm" onClick={onDiscount} tabIndex={-1}>
              {discountLabel ?? 'Add a discount'} <Kbd size="xs">F7</Kbd>
            </Anchor>
            {t && t.discount > 0 && (
              <Text size="sm" c="teal.7" data-testid="discount">
                −{money.format(t.discount)}
              </Text>
            )}
          </Group>
          {discountError && (
            <Text size="sm" c="red.7" role="alert">
              {discountError}
            </Text>
          )}
          <Row label={`Tax (${taxLabel || '0'}%)`} value={t ? money.format(t.tax) : '—'} testId="tax" />
          <Divider />
          <Group justify="space-between" align="baseline" wrap="nowrap">
            <Text fw={600} size="lg">
              Total
            </Text>
            <Text fw={750} fz={36} className={classes.total} data-testid="total">
              {t ? money.format(t.total) : money.format(0)}
            </Text>
          </Group>
          <Button size="xl" leftSection={<IconCash size={24} />} rightSection={<Kbd>F2</Kbd>} onClick={onPay} disabled={!canPay} fullWidth>
            Pay
          </Button>
          {cart.lines.length === 0 && (
            <Text size="xs" c="dimmed" ta="center">
              Add an item to take payment.
            </Text>
          )}
        </Stack>
      </Paper>
      <Paper withBorder radius="md" p="md" aria-label="Keyboard shortcuts">
        <Text size="sm" fw={600} mb="xs">
          Keys
        </Text>
        <SimpleGrid cols={2} spacing={8} verticalSpacing={6}>
          {SHORTCUTS.map(([key, what]) => (
            <Group key={key} gap="xs" wrap="nowrap">
              <Kbd size="xs" miw={40} ta="center" className={classes.kbd}>
                {key}
              </Kbd>
              <Text size="xs" c="dimmed">
                {what}
              </Text>
            </Group>
          ))}
        </SimpleGrid>
      </Paper>
    </>
  );
}

function Row({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Group justify="space-between" wrap="nowrap">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="sm" data-testid={testId}>
        {value}
      </Text>
    </Group>
  );
}
