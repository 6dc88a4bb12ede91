import { Alert, Button, Group, Modal, NumberInput, Radio, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowsExchange } from '@tabler/icons-react';
import { useState } from 'react';
import { CHANGE_MODES, type Subscription } from '@shared/domain/billing';
import { FormAlert } from '../../../components/FormAlert';
import { applyServerError } from '../../../lib/form-errors';
import { useDates, useToday } from '../../../lib/dates';
import { useChangePreview } from '../api/use-change-preview';
import { useChangeSubscription } from '../api/use-change-subscription';
import { usePlanOptions } from '../api/use-plan-options';
import { changeRequest, changesInterval, MODE_LABELS, modeExplanation, type ChangeValues } from '../change-form';
import { planWithQuantity } from '../subscription-format';
import { ChangePreviewPanel } from './ChangePreviewPanel';

/** Change plan or quantity, with the proration lines and the next invoice exactly as the engine will write them. */
export function ChangeSubscriptionModal({ subscription: sub, onClose }: { subscription: Subscription; onClose: () => void }) {
  const today = useToday();
  const dates = useDates();
  const plans = usePlanOptions();
  const change = useChangeSubscription();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<ChangeValues>({ initialValues: { planId: sub.planId, quantity: sub.quantity, on: today, mode: 'prorate' } });
  const v = form.values;
  const { request, reason } = changeRequest(sub, v);
  const [debounced] = useDebouncedValue(request, 250);
  const preview = useChangePreview(debounced);
  const newPlan = plans.data?.find((p) => p.id === v.planId);
  const newInterval = changesInterval(sub, newPlan);
  const trialing = sub.status === 'trialing';
  const planOptions = (plans.data ?? []).map((p) => ({ value: p.id, label: p.id === sub.planId ? `${p.name} (current)` : p.name }));
  if (!planOptions.some((o) => o.value === sub.planId)) planOptions.unshift({ value: sub.planId, label: `${sub.planName} (current, archived)` });

  const submit = form.onSubmit(() => {
    if (!request) return;
    setFormError(null);
    change.mutate(request, {
      onSuccess: ({ subscription, invoice }) => {
        notifications.show({
          color: 'green',
          title: 'Subscription changed',
          message: invoice
            ? `${subscription.customerName} is now on ${planWithQuantity(subscription.planName, subscription.quantity)}; invoice ${invoice.number} was issued.`
            : `${subscription.customerName}: ${planWithQuantity(subscription.planName, subscription.quantity)}.`,
        });
        onClose();
      },
      onError: (error) => setFormError(applyServerError(form, error)),
    });
  });

  return (
    <Modal opened onClose={onClose} title={`Change ${sub.customerName}'s subscription`} size={820}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Now on {planWithQuantity(sub.planName, sub.quantity)}
            {sub.currentPeriodStart && sub.currentPeriodEnd ? `, current period ${dates.period(sub.currentPeriodStart, sub.currentPeriodEnd)}` : ''}.
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <Select label="Plan" allowDeselect={false} searchable data={planOptions} {...form.getInputProps('planId')} />
            <NumberInput label="Quantity" min={1} max={1_000_000} allowDecimal={false} {...form.getInputProps('quantity')} />
            <TextInput type="date" label="Change on" {...form.getInputProps('on')} />
          </SimpleGrid>

          {trialing ? (
            <Text size="sm" c="dimmed">
              In the trial nothing has been invoiced, so nothing is prorated: the new plan or quantity applies at once and the first invoice uses it.
            </Text>
          ) : newInterval ? (
            <Alert variant="light" color="yellow" icon={<IconArrowsExchange size={18} />} title="A different billing interval">
              {newPlan?.name} is billed on another interval, so the change takes effect on the change date whatever the mode: the unused part of the
              current period is credited, and an invoice dated that day holds the credit and the new plan’s first full period.
            </Alert>
          ) : (
            <Radio.Group label="When the price changes" {...form.getInputProps('mode')}>
              <Stack gap={8} mt={6}>
                {CHANGE_MODES.map((mode) => (
                  <Radio key={mode} value={mode} label={MODE_LABELS[mode]} description={modeExplanation(mode, sub.currentPeriodEnd, dates.day)} />
                ))}
              </Stack>
            </Radio.Group>
          )}

          <ChangePreviewPanel reason={reason} preview={request ? preview : null} />

          <FormAlert message={formError} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={change.isPending} disabled={!request || preview.isError}>
              Make the change
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
