import { Button, Group, Paper, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { MAX_SALE_QUANTITY } from '@shared/domain/sale-math';
import { parsePercentToPpm, ppmToPercentString } from '@shared/domain/money';
import { useMoney } from '../../../lib/money';
import { parseMoneyInput } from '../../../lib/money-input';
import type { Cart, CartAction } from '../cart';

export interface Editing {
  kind: 'quantity' | 'lineDiscount' | 'discount';
  /** The line (for quantity and line discount). */
  index: number;
}

/** Reads "12" as an amount and "10%" as a percentage. */
function readDiscount(text: string, parseAmount: (t: string) => ReturnType<typeof parseMoneyInput>): { ok: true; action: CartAction } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '0' || trimmed === '0%') return { ok: true, action: { type: 'discount', discount: null } };
  if (trimmed.endsWith('%')) {
    try {
      return { ok: true, action: { type: 'discount', discount: { percentPpm: parsePercentToPpm(trimmed) } } };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }
  const amount = parseAmount(trimmed);
  return amount.ok ? { ok: true, action: { type: 'discount', discount: { amount: amount.minor } } } : { ok: false, message: amount.message };
}

/**
 * A one-field editor that opens above the cart on F4 (quantity), F6 (the
 * line's discount) or F7 (the whole sale's discount): type, Enter; Esc leaves it.
 */
export function LineEditor({ editing, cart, onApply, onCancel }: { editing: Editing; cart: Cart; onApply(action: CartAction): void; onCancel(): void }) {
  const money = useMoney();
  const line = cart.lines[editing.index];
  const initial =
    editing.kind === 'quantity'
      ? String(line?.quantity ?? 1)
      : editing.kind === 'lineDiscount'
        ? line && line.discount > 0
          ? money.toInput(line.discount)
          : ''
        : cart.discount === null
          ? ''
          : 'amount' in cart.discount
            ? money.toInput(cart.discount.amount)
            : `${ppmToPercentString(cart.discount.percentPpm)}%`;
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | null>(null);

  const label =
    editing.kind === 'quantity'
      ? `Quantity of ${line?.name ?? ''}`
      : editing.kind === 'lineDiscount'
        ? `Discount on ${line?.name ?? ''} (an amount off the line)`
        : 'Discount on the whole sale: an amount, or a percentage like 10%';

  const apply = () => {
    if (editing.kind === 'quantity') {
      const n = Number(text.trim());
      if (!/^\d+$/.test(text.trim()) || n < 1) return setError('Type a whole number of at least 1');
      if (n > MAX_SALE_QUANTITY) return setError(`The quantity is at most ${MAX_SALE_QUANTITY}`);
      return onApply({ type: 'quantity', index: editing.index, quantity: n });
    }
    if (editing.kind === 'lineDiscount') {
      const amount = parseMoneyInput(text, money.currency, { required: false });
      if (!amount.ok) return setError(amount.message);
      return onApply({ type: 'lineDiscount', index: editing.index, discount: amount.minor });
    }
    const read = readDiscount(text, (t) => parseMoneyInput(t, money.currency));
    if (!read.ok) return setError(read.message);
    onApply(read.action);
  };

  return (
    <Paper withBorder radius="md" p="sm" shadow="xs">
      <Group align="flex-end" gap="sm" wrap="nowrap">
        <TextInput
          data-autofocus
          autoFocus
          style={{ flex: 1 }}
          size="md"
          label={label}
          inputMode={editing.kind === 'quantity' ? 'numeric' : 'decimal'}
          autoComplete="off"
          value={text}
          error={error}
          onFocus={(e) => e.currentTarget.select()}
          onChange={(e) => {
            setText(e.currentTarget.value);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              apply();
            } else if (e.key === 'Escape') {
              e.preventDefault();
              onCancel();
            }
          }}
        />
        <Button size="md" onClick={apply}>
          Apply
        </Button>
        <Button size="md" variant="default" onClick={onCancel}>
          Cancel
        </Button>
      </Group>
      <Text size="xs" c="dimmed" mt={6}>
        Enter applies · Esc cancels{editing.kind !== 'quantity' ? ' · empty removes the discount' : ''}
      </Text>
    </Paper>
  );
}
