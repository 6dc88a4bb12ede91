import { Button, Group, Modal, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { MoneyInput } from '../../../components/MoneyInput';
import { applyServerError } from '../../../lib/form-errors';
import { useMoney } from '../../../lib/money';
import { useCreateCoupon } from '../api/use-create-coupon';
import { EMPTY_COUPON, readCouponForm, type CouponFormValues } from '../coupon-form';

const DURATIONS = [
  { value: 'once', label: 'Once: the first invoice after it is applied' },
  { value: 'repeating', label: 'Repeating: invoices for a number of months' },
  { value: 'forever', label: 'Forever: every invoice' },
];

export function CouponFormModal({ onClose }: { onClose: () => void }) {
  const money = useMoney();
  const create = useCreateCoupon();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<CouponFormValues>({ initialValues: EMPTY_COUPON, validate: (v) => readCouponForm(v, money.currency).errors });

  const submit = form.onSubmit((values) => {
    const { fields } = readCouponForm(values, money.currency);
    if (!fields) return;
    setFormError(null);
    create.mutate(fields, {
      onSuccess: (coupon) => {
        notifications.show({ color: 'green', title: 'Coupon created', message: `Give customers the code ${coupon.code}.` });
        onClose();
      },
      onError: (error) => setFormError(applyServerError(form, error)),
    });
  });

  return (
    <Modal opened onClose={onClose} title="New coupon" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label="Code" placeholder="WELCOME20" description="What the customer gives you" withAsterisk data-autofocus {...form.getInputProps('code')} />
            <TextInput label="Name" placeholder="Welcome discount" description="Optional, for you" {...form.getInputProps('name')} />
          </SimpleGrid>
          <div>
            <Text size="sm" fw={500} mb={4}>
              Discount
            </Text>
            <Group gap="sm" align="flex-start" wrap="nowrap">
              <SegmentedControl
                aria-label="Discount type"
                value={form.values.kind}
                onChange={(kind) => form.setFieldValue('kind', kind as CouponFormValues['kind'])}
                data={[
                  { value: 'percent', label: 'Percent off' },
                  { value: 'amount', label: 'Amount off' },
                ]}
              />
              {form.values.kind === 'percent' ? (
                <TextInput aria-label="Percent off" placeholder="20" rightSection="%" inputMode="decimal" w={140} {...form.getInputProps('percentOff')} />
              ) : (
                <MoneyInput aria-label="Amount off" w={160} {...form.getInputProps('amountOff')} />
              )}
            </Group>
            <Text size="xs" c="dimmed" mt={4}>
              {form.values.kind === 'percent'
                ? 'Taken off the invoice subtotal, rounded to the cent.'
                : 'Taken off the invoice subtotal, never more than the subtotal.'}
            </Text>
          </div>
          <Group gap="sm" align="flex-start" grow>
            <Select label="Applies to" allowDeselect={false} data={DURATIONS} {...form.getInputProps('duration')} />
            {form.values.duration === 'repeating' && (
              <NumberInput label="Months" min={1} max={120} allowDecimal={false} maw={120} {...form.getInputProps('durationMonths')} />
            )}
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput type="date" label="Expires on" description="Optional: cannot be applied after this day" {...form.getInputProps('expiresOn')} />
            <NumberInput label="Max redemptions" description="Optional: how many subscriptions may use it" min={1} allowDecimal={false} {...form.getInputProps('maxRedemptions')} />
          </SimpleGrid>
          <FormAlert message={formError} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create coupon
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
