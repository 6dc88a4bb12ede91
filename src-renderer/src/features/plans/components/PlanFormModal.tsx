import { Alert, Button, Chip, Divider, Group, Modal, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import type { Plan } from '@shared/domain/billing';
import { describeCadence } from '@shared/domain/periods';
import { FormAlert } from '../../../components/FormAlert';
import { MoneyInput } from '../../../components/MoneyInput';
import { applyServerError } from '../../../lib/form-errors';
import { useMoney } from '../../../lib/money';
import { useCreatePlan } from '../api/use-create-plan';
import { useUpdatePlan } from '../api/use-update-plan';
import { emptyPlanForm, FEATURE_SUGGESTIONS, hasFeature, planChanges, readPlanForm, toggleFeature, toPlanFormValues, type PlanFormValues } from '../plan-form';
import { INTERVAL_OPTIONS, intervalLabel, PRICING_HINTS, PRICING_LABELS } from '../plan-format';
import { TierExampleBox } from './TierExample';
import { TiersEditor } from './TiersEditor';

interface PlanFormModalProps {
  /** The plan to edit; none to create one. */
  plan?: Plan;
  onClose: () => void;
}

export function PlanFormModal({ plan, onClose }: PlanFormModalProps) {
  const money = useMoney();
  const create = useCreatePlan();
  const update = useUpdatePlan();
  const [formError, setFormError] = useState<string | null>(null);
  const locked = plan !== undefined && plan.subscriptionCount > 0;
  const form = useForm<PlanFormValues>({
    initialValues: plan ? toPlanFormValues(plan, money.currency) : emptyPlanForm(),
    validate: (values) => readPlanForm(values, money.currency).errors,
  });
  const values = form.values;
  const count = typeof values.intervalCount === 'number' ? values.intervalCount : 1;

  const submit = form.onSubmit((v) => {
    const { fields } = readPlanForm(v, money.currency);
    if (!fields) return;
    setFormError(null);
    const onError = (error: unknown) => setFormError(applyServerError(form, error));
    if (plan) {
      update.mutate(
        { id: plan.id, ...planChanges(fields, plan) },
        {
          onSuccess: (saved) => {
            notifications.show({ color: 'green', title: 'Plan saved', message: `${saved.name} is updated.` });
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(fields, {
        onSuccess: (saved) => {
          notifications.show({ color: 'green', title: 'Plan created', message: `${saved.name} can now be subscribed to.` });
          onClose();
        },
        onError,
      });
    }
  });

  return (
    <Modal opened onClose={onClose} title={plan ? `Edit ${plan.name}` : 'New plan'} size={760}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label="Name" description="Shown on invoices" placeholder="Studio monthly" withAsterisk data-autofocus {...form.getInputProps('name')} />
            <TextInput label="Code" description="Optional; made from the name when empty" placeholder="studio-monthly" {...form.getInputProps('code')} />
          </SimpleGrid>
          <Textarea label="Description" autosize minRows={2} maxRows={5} {...form.getInputProps('description')} />

          <Divider label="Price" labelPosition="left" />
          {locked && (
            <Alert variant="light" color="gray" icon={<IconLock size={18} />} title="Price, interval and tiers are fixed" data-testid="plan-locked">
              {plan.subscriptionCount === 1 ? 'One subscription was' : `${plan.subscriptionCount} subscriptions were`} billed on this plan. Changing
              its price would change what past invoices and revenue figures mean, so Recurra keeps it. To charge a new price, create a new plan
              and move subscribers to it with “Change plan”. Name, description, trial, setup fee, features and machines per license key can still change.
            </Alert>
          )}
          <div>
            <SegmentedControl
              aria-label="Pricing model"
              disabled={locked}
              value={values.pricingModel}
              onChange={(model) => form.setFieldValue('pricingModel', model as PlanFormValues['pricingModel'])}
              data={(['flat', 'graduated', 'volume'] as const).map((m) => ({ value: m, label: PRICING_LABELS[m] }))}
            />
            <Text size="xs" c="dimmed" mt={6}>
              {PRICING_HINTS[values.pricingModel]}
            </Text>
          </div>
          {values.pricingModel === 'flat' ? (
            <MoneyInput label="Price per unit" withAsterisk disabled={locked} maw={240} {...form.getInputProps('price')} />
          ) : (
            <Stack gap="xs">
              <TiersEditor form={form} readOnly={locked} />
              <TierExampleBox rows={values.tiers} model={values.pricingModel} interval={values.interval} intervalCount={count} />
            </Stack>
          )}
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <NumberInput label="Bill every" min={1} max={365} allowDecimal={false} w={110} disabled={locked} {...form.getInputProps('intervalCount')} />
            <Select
              aria-label="Interval"
              w={150}
              allowDeselect={false}
              disabled={locked}
              data={INTERVAL_OPTIONS.map((i) => ({ value: i, label: intervalLabel(i, count) }))}
              {...form.getInputProps('interval')}
            />
            <Text size="sm" c="dimmed" pb={8}>
              {count >= 1 ? `Billed ${describeCadence({ interval: values.interval, intervalCount: count })}, in advance` : ''}
            </Text>
          </Group>

          <Divider label="Trial and setup" labelPosition="left" />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <NumberInput
              label="Trial days"
              description="No invoice until the trial ends; 0 for none"
              min={0}
              max={730}
              allowDecimal={false}
              {...form.getInputProps('trialDays')}
            />
            <MoneyInput label="Setup fee" description="Added to the first invoice only" {...form.getInputProps('setupFee')} />
          </SimpleGrid>
          <Textarea
            label="Features"
            description="What subscribers get, one per line"
            placeholder={'Unlimited classes\nFree towel service'}
            autosize
            minRows={3}
            maxRows={8}
            {...form.getInputProps('features')}
          />
          <Group gap="xs" mt={-8} data-testid="feature-suggestions">
            <Text size="xs" c="dimmed">
              Gate your app by plan (the license API sends these to it):
            </Text>
            {FEATURE_SUGGESTIONS.map(({ feature, hint }) => (
              <Chip
                key={feature}
                size="xs"
                checked={hasFeature(form.values.features, feature)}
                onChange={(on) => form.setFieldValue('features', toggleFeature(form.values.features, feature, on))}
                title={hint}
              >
                {feature}
              </Chip>
            ))}
          </Group>
          <NumberInput
            label="Machines per license key"
            description="For software sold with license keys: how many machines one key may activate. Empty for unlimited."
            placeholder="Unlimited"
            min={1}
            max={100000}
            allowDecimal={false}
            maw={360}
            {...form.getInputProps('maxMachines')}
          />
          <FormAlert message={formError} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {plan ? 'Save plan' : 'Create plan'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
