import { Button, Group, Kbd, Modal, Stack, Text } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import type { Sale } from '@shared/contract/sales';
import { EmailReceiptButton } from '../../../components/EmailReceiptButton';
import { ReceiptButtons } from '../../../components/ReceiptButtons';
import { useMoney } from '../../../lib/money';
import { METHOD_LABELS } from './PayModal';
import classes from './Pos.module.css';

/** The sale is recorded: its receipt number, the change to hand back (large), the receipt, and Enter for the next customer. */
export function SaleDoneModal({ sale, onNewSale }: { sale: Sale; onNewSale(): void }) {
  const money = useMoney();
  const paidBy =
    sale.payments.length === 1
      ? `by ${METHOD_LABELS[sale.payments[0]!.method].toLowerCase()}`
      : sale.payments.map((p) => `${money.format(p.amount)} ${METHOD_LABELS[p.method].toLowerCase()}`).join(' + ');
  return (
    <Modal opened onClose={onNewSale} withCloseButton={false} size="md" title={null}>
      <Stack gap="md" align="stretch">
        <Group gap="sm" wrap="nowrap">
          <IconCircleCheck size={36} color="var(--mantine-color-teal-6)" />
          <div>
            <Text fw={700} size="lg">
              Sale complete
            </Text>
            <Text c="dimmed" size="sm">
              Receipt{' '}
              <Text span fw={700} c="var(--mantine-color-text)" ff="monospace" data-testid="receipt-number">
                {sale.number}
              </Text>{' '}
              · {money.format(sale.total)} {sale.payments.length === 1 ? paidBy : `· ${paidBy}`}
              {sale.customerName ? ` · ${sale.customerName}` : ''}
            </Text>
          </div>
        </Group>
        {sale.tendered !== null && (
          <Stack gap={0} align="center" py="sm" data-testid="done-change">
            <Text size="lg" fw={600}>
              Change due
            </Text>
            <Text className={classes.change} c={sale.change > 0 ? 'teal.7' : undefined} data-testid="change-given">
              {money.format(sale.change)}
            </Text>
            <Text size="sm" c="dimmed">
              from {money.format(sale.tendered)} handed over
            </Text>
          </Stack>
        )}
        <Button size="lg" fullWidth data-autofocus onClick={onNewSale} rightSection={<Kbd>Enter</Kbd>}>
          New sale
        </Button>
        <Group justify="center">
          <ReceiptButtons saleId={sale.id} number={sale.number} />
          <EmailReceiptButton saleId={sale.id} number={sale.number} hasCustomer={sale.customerId !== null} inModal />
        </Group>
      </Stack>
    </Modal>
  );
}
