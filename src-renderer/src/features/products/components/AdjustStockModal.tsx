import { Button, Group, Modal, NumberInput, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Product, StockAdjustReason } from '@shared/contract/products';
import { FormAlert } from '../../../components/FormAlert';
import { RpcError } from '../../../lib/ipc';
import { useAdjustStock } from '../api';

const REASONS: { value: StockAdjustReason; label: string }[] = [
  { value: 'received', label: 'Received (a delivery)' },
  { value: 'damaged', label: 'Damaged or lost' },
  { value: 'other', label: 'Other' },
];

/** A stock change through the ledger: a signed quantity with a reason, or a count of what is on the shelf. */
export function AdjustStockModal({ product, onClose }: { product: Product; onClose: () => void }) {
  const adjust = useAdjustStock();
  const [mode, setMode] = useState<'adjust' | 'count'>('adjust');
  const [quantity, setQuantity] = useState<number | string>('');
  const [reason, setReason] = useState<StockAdjustReason>('received');
  const [note, setNote] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const current = product.stock ?? 0;
  const n = quantity === '' ? null : Number(quantity);
  const after = n === null ? null : mode === 'count' ? n : current + n;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setFormError(null);
    if (n === null || !Number.isInteger(n)) return setFieldError('Enter a whole number');
    if (mode === 'adjust' && n === 0) return setFieldError('The adjustment cannot be 0');
    setFieldError(null);
    const input = mode === 'count' ? { id: product.id, counted: n, reason: 'count' as const, note } : { id: product.id, adjust: n, reason, note };
    adjust.mutate(input, {
      onSuccess: ({ product: p, movement }) => {
        notifications.show({ color: 'green', title: 'Stock updated', message: `${movement.quantity > 0 ? '+' : ''}${movement.quantity} ${p.name}: ${p.stock} on hand` });
        onClose();
      },
      onError: (error) => {
        if (error instanceof RpcError && (error.field === 'adjust' || error.field === 'counted')) setFieldError(error.message);
        else setFormError(error.message);
      },
    });
  };

  return (
    <Modal opened onClose={onClose} title={`Adjust stock: ${product.name}`}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {product.stock === null ? 'Stock is not tracked yet: this starts counting it from 0.' : `On hand now: ${product.stock}`}
          </Text>
          <SegmentedControl
            aria-label="Kind of change"
            value={mode}
            onChange={(v) => {
              setMode(v as 'adjust' | 'count');
              setFieldError(null);
            }}
            data={[
              { value: 'adjust', label: 'Add or remove' },
              { value: 'count', label: 'Counted the shelf' },
            ]}
          />
          {mode === 'adjust' ? (
            <>
              <NumberInput
                label="Quantity"
                description="Positive adds (12), negative removes (-3)"
                allowDecimal={false}
                value={quantity}
                onChange={setQuantity}
                error={fieldError}
                data-autofocus
              />
              <Select label="Reason" allowDeselect={false} data={REASONS} value={reason} onChange={(v) => v && setReason(v as StockAdjustReason)} />
            </>
          ) : (
            <NumberInput label="Quantity counted" description="What is on the shelf; the difference is recorded" min={0} allowDecimal={false} allowNegative={false} value={quantity} onChange={setQuantity} error={fieldError} data-autofocus />
          )}
          <TextInput label="Note" placeholder="Why, in a few words" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          {after !== null && Number.isInteger(after) && (
            <Text size="sm" c={after < 0 ? 'red' : undefined}>
              Stock after: {after}
            </Text>
          )}
          <FormAlert message={formError} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={adjust.isPending}>
              Record
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
