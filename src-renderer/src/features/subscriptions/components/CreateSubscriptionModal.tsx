import { Alert, Button, Checkbox, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { FormAlert } from '../../../components/FormAlert';
import { applyServerError } from '../../../lib/form-errors';
import { useDates, useToday } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { useCouponOptions } from '../api/use-coupon-options';
import { useCreateSubscription } from '../api/use-create-subscription';
import { usePlanOptions } from '../api/use-plan-options';
import { createSubscriptionErrors, firstInvoiceHint, toCreateInput, type CreateSubscriptionValues } from '../create-subscription-form';
import { ActiveCustomerSelect } from '../../../components/ActiveCustomerSelect';

export function CreateSubscriptionModal({ onClose }: { onClose: () => void }) {
  const today = useToday();
  const dates = useDates();
  const money = useMoney();
  const navigate = useNavigate();
  const plans = usePlanOptions();
  const coupons = useCouponOptions();
  const create = useCreateSubscription();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<CreateSubscriptionValues>({
    initialValues: { customerId: null, planId: null, startDate: today, quantity: 1, couponCode: null, trialDays: '', withLicenseKey: false, licenseKey: '' },
    validate: createSubscriptionErrors,
  });
  const v = form.values;
  const plan = plans.data?.find((p) => p.id === v.planId);
  const hint = plan ? firstInvoiceHint(v, plan, today) : null;

  const submit = form.onSubmit((values) => {
    setFormError(null);
    create.mutate(toCreateInput(values), {
      onSuccess: (subscription) => {
        notifications.show({ color: 'green', title: 'Subscription created', message: `${subscription.customerName} is subscribed to ${subscription.planName}.` });
        onClose();
        void navigate(`/subscriptions/${subscription.id}`);
      },
      onError: (error) => setFormError(applyServerError(form, error)),
    });
  });

  return (
    <Modal opened onClose={onClose} title="New subscription" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ActiveCustomerSelect value={v.customerId} onChange={(id) => form.setFieldValue('customerId', id)} error={form.errors.customerId} />
          <Select
            label="Plan"
            placeholder={plans.isPending ? 'Loading plans…' : 'Choose a plan'}
            withAsterisk
            searchable
            data={(plans.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            nothingFoundMessage="No plan by that name; create plans on the Plans page"
            {...form.getInputProps('planId')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput type="date" label="Start date" description="Can be in the past or the future" withAsterisk {...form.getInputProps('startDate')} />
            <NumberInput label="Quantity" description="Units billed each period" min={1} max={1_000_000} allowDecimal={false} {...form.getInputProps('quantity')} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Select
              label="Coupon"
              description="Optional: a discount code"
              placeholder="None"
              clearable
              searchable
              data={(coupons.data ?? []).map((c) => ({ value: c.code, label: c.name ? `${c.code} · ${c.name}` : c.code }))}
              nothingFoundMessage="No coupon with that code"
              {...form.getInputProps('couponCode')}
            />
            <NumberInput
              label="Trial days"
              description={plan && !plan.trialDays ? 'Empty: none, as the plan has no trial' : `Empty: the plan's ${plan ? `${plan.trialDays}-day ` : ''}trial`}
              placeholder={plan ? String(plan.trialDays) : ''}
              min={0}
              max={730}
              allowDecimal={false}
              {...form.getInputProps('trialDays')}
            />
          </SimpleGrid>
          <Checkbox
            label="Issue a license key"
            description="For software you sell: its product checks the key with the server. Valid while the subscription is paid, and through the retry days of a failed payment; canceling ends it."
            {...form.getInputProps('withLicenseKey', { type: 'checkbox' })}
          />
          {v.withLicenseKey && (
            <TextInput
              label="License key"
              description="Optional: your own key. Leave it empty to have one generated."
              placeholder="Generated"
              ml={32}
              maw={420}
              {...form.getInputProps('licenseKey')}
            />
          )}
          {hint && (
            <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} />} data-testid="first-invoice-hint">
              <Text size="sm">
                {hint.trialDays > 0 ? `Free trial until ${dates.day(hint.firstInvoice)}; no invoice before then. ` : ''}
                First invoice on {dates.day(hint.firstInvoice)}: {money.format(hint.firstAmount)}
                {hint.setupFee > 0 ? ` (including the ${money.format(hint.setupFee)} setup fee)` : ''}, before any discount and tax; then{' '}
                {money.format(hint.recurring)} {hint.cadence}.
              </Text>
              {hint.firstInvoice < today && (
                <Text size="sm" mt={4}>
                  That is in the past: the next billing run issues every invoice due since {dates.day(hint.firstInvoice)}, each dated its own period
                  start.
                </Text>
              )}
            </Alert>
          )}
          <FormAlert message={formError} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create subscription
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
