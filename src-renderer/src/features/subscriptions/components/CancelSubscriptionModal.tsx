import { Button, Checkbox, Group, Modal, Radio, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Subscription } from '@shared/domain/billing';
import { daysBetween, isIsoDate } from '@shared/domain/dates';
import { prorate } from '@shared/domain/pricing';
import { FormAlert } from '../../../components/FormAlert';
import { showServerError } from '../../../lib/form-errors';
import { useDates, useToday } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { useCancelSubscription } from '../api/use-cancel-subscription';

/** Cancel at the end of the period, or now with an optional prorated credit (spec 7). */
export function CancelSubscriptionModal({ subscription: sub, onClose }: { subscription: Subscription; onClose: () => void }) {
  const today = useToday();
  const dates = useDates();
  const money = useMoney();
  const cancel = useCancelSubscription();
  const trialing = sub.status === 'trialing';
  const end = trialing ? sub.trialEnd : sub.currentPeriodEnd;
  const [when, setWhen] = useState<'period_end' | 'now'>(end ? 'period_end' : 'now');
  const [on, setOn] = useState(today);
  const [credit, setCredit] = useState(false);
  const [dateError, setDateError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const ps = sub.currentPeriodStart;
  const pe = sub.currentPeriodEnd;
  const canCredit = !trialing && ps !== null && pe !== null;
  const creditAmount = canCredit && isIsoDate(on) && on >= ps && on < pe ? prorate(sub.recurringAmount, daysBetween(on, pe), daysBetween(ps, pe)) : null;

  const confirm = () => {
    if (when === 'now' && !isIsoDate(on)) return setDateError('Enter a date');
    setError(null);
    setDateError(null);
    cancel.mutate(
      { id: sub.id, on: when === 'now' ? on : today, atPeriodEnd: when === 'period_end', prorate: when === 'now' && credit },
      {
        onSuccess: (s) => {
          notifications.show({
            title: 'Subscription canceled',
            message: s.status === 'canceled' ? `${s.customerName} is no longer billed.` : `${s.customerName} is billed no more after ${s.cancelAt ? dates.day(s.cancelAt) : 'this period'}.`,
          });
          onClose();
        },
        onError: (e) => showServerError(e, 'on', setDateError, setError),
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={`Cancel ${sub.customerName}'s subscription?`}>
      <Stack gap="sm">
        <Radio.Group value={when} onChange={(v) => setWhen(v as typeof when)} label="When">
          <Stack gap={8} mt={6}>
            <Radio
              value="period_end"
              disabled={!end}
              label={end ? `At the end of the ${trialing ? 'trial' : 'period'}, ${dates.day(end)}` : 'At the end of the period'}
              description={
                trialing ? 'The trial runs out and no invoice is ever issued.' : end ? 'Already paid for: it stays active until then, and nothing later is invoiced.' : 'Nothing has been billed yet: cancel now instead.'
              }
            />
            <Radio value="now" label="Now" description="It stops on the date you give." />
          </Stack>
        </Radio.Group>
        {when === 'now' && (
          <>
            <TextInput type="date" label="Cancel on" value={on} onChange={(e) => setOn(e.currentTarget.value)} error={dateError} maw={220} />
            {canCredit && (
              <Checkbox
                checked={credit}
                onChange={(e) => setCredit(e.currentTarget.checked)}
                label="Credit the unused part of the period"
                description={
                  creditAmount !== null
                    ? `${money.format(creditAmount)} goes to ${sub.customerName}'s credit balance and pays their next invoices.`
                    : `Needs a date within the current period, ${dates.period(ps, pe)}.`
                }
              />
            )}
          </>
        )}
        <FormAlert message={error} />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose} data-autofocus>
            Keep it
          </Button>
          <Button color="red" onClick={confirm} loading={cancel.isPending}>
            Cancel subscription
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
