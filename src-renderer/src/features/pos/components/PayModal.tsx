import { Alert, Button, Group, Kbd, Modal, NativeSelect, SegmentedControl, Stack, Text } from '@mantine/core';
import { useRef, useState } from 'react';
import { SALE_METHODS, type SaleMethod } from '@shared/domain/sale-math';
import type { Sale } from '@shared/contract/sales';
import { MoneyInput } from '../../../components/MoneyInput';
import { placeServerError } from '../../../lib/form-errors';
import { RpcError } from '../../../lib/ipc';
import { useMoney } from '../../../lib/money';
import { parseMoneyInput } from '../../../lib/money-input';
import { useCreateSale } from '../api/use-create-sale';
import { paymentsOf, previewPayment, type Cart, type PaymentDraft } from '../cart';
import classes from './Pos.module.css';

export const METHOD_LABELS: Record<SaleMethod, string> = { cash: 'Cash', card: 'Card', bank_transfer: 'Bank transfer', other: 'Other' };
const CHOICES: (SaleMethod | 'split')[] = [...SALE_METHODS, 'split'];

interface PayModalProps {
  cart: Cart;
  total: number;
  onClose(): void;
  /** A refusal naming a cart line (too little stock): shown on the line; true when it was. */
  onLineError(field: string | undefined, message: string): boolean;
  onPaid(sale: Sale): void;
}

/**
 * Taking the money, from the keyboard: 1-5 (or the arrows) pick the method,
 * Enter goes on (to the cash tendered, or completes), Enter completes, Esc goes back.
 */
export function PayModal({ cart, total, onClose, onLineError, onPaid }: PayModalProps) {
  const money = useMoney();
  const create = useCreateSale();
  const [method, setMethod] = useState<SaleMethod | 'split'>('cash');
  const [tendered, setTendered] = useState('');
  const [first, setFirst] = useState<SaleMethod>('cash');
  const [firstAmount, setFirstAmount] = useState('');
  const [second, setSecond] = useState<SaleMethod>('card');
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);
  const methodsRef = useRef<HTMLDivElement>(null);
  const tenderedRef = useRef<HTMLInputElement>(null);
  const firstAmountRef = useRef<HTMLInputElement>(null);

  const focusMethods = () => methodsRef.current?.querySelector<HTMLInputElement>('input:checked')?.focus();

  const tenderedParse = tendered.trim() === '' ? null : parseMoneyInput(tendered, money.currency);
  const firstParse = firstAmount.trim() === '' ? null : parseMoneyInput(firstAmount, money.currency);
  const cashInvolved = method === 'cash' || (method === 'split' && (first === 'cash' || second === 'cash'));
  const draft: PaymentDraft = {
    method,
    tendered: cashInvolved && tenderedParse?.ok ? tenderedParse.minor : null,
    first,
    firstAmount: firstParse?.ok ? firstParse.minor : null,
    second,
  };
  const preview = previewPayment(total, draft);
  const localError =
    tenderedParse && !tenderedParse.ok ? { field: 'tendered', message: tenderedParse.message } : firstParse && !firstParse.ok ? { field: 'payments.0.amount', message: firstParse.message } : null;
  const previewError = !preview.ok && (method !== 'split' || firstAmount.trim() !== '') ? { field: preview.field, message: preview.message } : null;
  const shown = error ?? localError ?? previewError;
  const errorOn = (...fields: string[]) => (shown && fields.includes(shown.field ?? '') ? shown.message : null);

  const complete = () => {
    if (create.isPending || localError || !preview.ok) {
      if (method === 'split' && firstAmount.trim() === '') firstAmountRef.current?.focus();
      return;
    }
    setError(null);
    create.mutate(
      {
        items: cart.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, ...(l.discount > 0 ? { discount: l.discount } : {}) })),
        customerId: cart.customer?.id ?? null,
        discount: cart.discount,
        payments: paymentsOf(draft),
      },
      {
        onSuccess: onPaid,
        onError: (e) => {
          const field = e instanceof RpcError ? e.field : undefined;
          if (onLineError(field, e.message)) return;
          setError(placeServerError(e, []));
          if (field === 'tendered') tenderedRef.current?.focus();
        },
      },
    );
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    const target = event.target as HTMLElement;
    const onMethods = target instanceof HTMLInputElement && target.type === 'radio';
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      if (onMethods) onClose();
      else focusMethods();
      return;
    }
    const typing = target instanceof HTMLInputElement && target.type !== 'radio';
    if (!typing && /^[1-5]$/.test(event.key)) {
      event.preventDefault();
      setMethod(CHOICES[Number(event.key) - 1]!);
      setError(null);
      // After the render has checked the new method; unless a key typed meanwhile (Enter) already moved on to a field.
      requestAnimationFrame(() => {
        const active = document.activeElement;
        if (!active || active === document.body || methodsRef.current?.contains(active)) focusMethods();
      });
      return;
    }
    if (event.key === 'Enter' && target.tagName !== 'BUTTON') {
      event.preventDefault();
      if (onMethods && method === 'cash') tenderedRef.current?.focus();
      else if (onMethods && method === 'split') firstAmountRef.current?.focus();
      else complete();
    }
  };

  const change = preview.ok ? preview.split.change : 0;
  const splitMethods = SALE_METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }));

  return (
    <Modal opened onClose={onClose} closeOnEscape={false} title="Take payment" size="lg">
      <Stack gap="md" onKeyDown={onKeyDown}>
        <Group justify="space-between" align="baseline">
          <Text c="dimmed">Due</Text>
          <Text fw={750} fz={40} className={classes.total} data-testid="pay-due">
            {money.format(total)}
          </Text>
        </Group>
        {/* The dialog's focus trap starts on [data-autofocus]: the wrapper hands it on to the chosen method. */}
        <div
          ref={methodsRef}
          data-autofocus
          tabIndex={-1}
          onFocus={(e) => {
            if (e.target === e.currentTarget) focusMethods();
          }}
        >
          <SegmentedControl
            fullWidth
            size="md"
            aria-label="Payment method"
            value={method}
            onChange={(v) => {
              setMethod(v as SaleMethod | 'split');
              setError(null);
            }}
            data={CHOICES.map((m, i) => ({ value: m, label: `${i + 1} ${m === 'split' ? 'Split' : METHOD_LABELS[m]}` }))}
          />
        </div>
        {method === 'split' && (
          <Group grow align="flex-start">
            <Stack gap="xs">
              <NativeSelect label="First part by" data={splitMethods} value={first} onChange={(e) => setFirst(e.currentTarget.value as SaleMethod)} />
              <MoneyInput ref={firstAmountRef} label="First part" value={firstAmount} onChange={(e) => setFirstAmount(e.currentTarget.value)} error={errorOn('payments.0.amount', 'payments.0.method')} />
            </Stack>
            <Stack gap="xs">
              <NativeSelect label="The rest by" data={splitMethods} value={second} onChange={(e) => setSecond(e.currentTarget.value as SaleMethod)} error={errorOn('payments.1.method')} />
              <Text size="sm" mt={28} data-testid="split-rest">
                {preview.ok ? `${money.format(preview.split.payments[1]?.amount ?? 0)} by ${METHOD_LABELS[second].toLowerCase()}` : ''}
              </Text>
            </Stack>
          </Group>
        )}
        {cashInvolved && (
          <MoneyInput
            ref={tenderedRef}
            size="xl"
            label={method === 'split' ? 'Cash handed over (optional)' : 'Cash handed over (empty: the exact amount)'}
            value={tendered}
            onChange={(e) => {
              setTendered(e.currentTarget.value);
              setError(null);
            }}
            error={errorOn('tendered', 'payments.0.tendered', 'payments.1.tendered')}
          />
        )}
        {cashInvolved && (
          <Group justify="space-between" align="baseline" data-testid="change-due">
            <Text size="xl" fw={600}>
              Change
            </Text>
            <Text className={classes.change} c={change > 0 ? 'teal.7' : undefined} data-testid="change">
              {money.format(change)}
            </Text>
          </Group>
        )}
        {shown && !errorOn('tendered', 'payments.0.tendered', 'payments.1.tendered', 'payments.0.amount', 'payments.0.method', 'payments.1.method') && (
          <Alert color="red" role="alert">
            {shown.message}
          </Alert>
        )}
        <Group justify="space-between" align="center">
          <Text size="xs" c="dimmed">
            <Kbd size="xs">1</Kbd>–<Kbd size="xs">5</Kbd> or <Kbd size="xs">←</Kbd> <Kbd size="xs">→</Kbd> method · <Kbd size="xs">Enter</Kbd> next, then complete · <Kbd size="xs">Esc</Kbd> back
          </Text>
          <Group gap="sm">
            <Button variant="default" onClick={onClose}>
              Back
            </Button>
            <Button size="md" onClick={complete} loading={create.isPending} disabled={!preview.ok || localError !== null}>
              Complete sale
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
