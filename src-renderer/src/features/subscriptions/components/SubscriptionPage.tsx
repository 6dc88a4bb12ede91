import type { ReactNode } from 'react';
import type { Output } from '@shared/contract';
import { Alert, Anchor, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconCalendarEvent, IconPlayerPause } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { describeCadence } from '@shared/domain/periods';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { QueryError } from '../../../components/QueryError';
import { useCan } from '../../../lib/auth';
import { useDates } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { useSubscription } from '../api/use-subscription';
import { planWithQuantity } from '../subscription-format';
import { SubscriptionActions, type SubscriptionDialog } from './SubscriptionActions';
import { SubscriptionDetails } from './SubscriptionDetails';
import { SubscriptionDialogs } from './SubscriptionDialogs';
import { SubscriptionHistory } from './SubscriptionHistory';
import { SubscriptionInvoices } from './SubscriptionInvoices';
import { SubscriptionLicense } from './SubscriptionLicense';
import { SubscriptionPendingItems } from './SubscriptionPendingItems';
import { SubscriptionStatusBadge } from './SubscriptionStatusBadge';

/** One subscription: where it stands, its dates, its invoices and history, and what can be done with it. */
export interface SubscriptionPageProps {
  /** Extra lines for the next invoice (another feature's panel, passed by the router). */
  extraLines?: (props: { subscriptionId: string; items: PendingItems; nextInvoiceDate: string | null; canAdd: boolean }) => ReactNode;
}

type PendingItems = Output<'subscriptions.get'>['pendingItems'];

export function SubscriptionPage({ extraLines }: SubscriptionPageProps = {}) {
  const { id = '' } = useParams();
  const canEdit = useCan('staff');
  const money = useMoney();
  const dates = useDates();
  const detail = useSubscription(id);
  const [dialog, setDialog] = useState<SubscriptionDialog | null>(null);

  const back = (
    <Anchor component={Link} to="/subscriptions" size="sm" mb="sm" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
      <IconArrowLeft size={14} /> All subscriptions
    </Anchor>
  );
  if (detail.isPending) return <>{back}<CenteredLoader label="Loading the subscription" /></>;
  if (detail.isError) {
    return (
      <>
        {back}
        <QueryError
          title={detail.error.code === 'not_found' ? 'There is no such subscription' : 'Could not load this subscription'}
          error={detail.error}
          onRetry={() => void detail.refetch()}
        />
      </>
    );
  }
  const s = detail.data.subscription;

  return (
    <>
      {back}
      <Group justify="space-between" align="flex-end" mb="lg" wrap="wrap" gap="sm">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2}>
              <Anchor component={Link} to={`/customers/${s.customerId}`} inherit c="inherit" underline="hover">
                {s.customerName}
              </Anchor>
            </Title>
            <SubscriptionStatusBadge status={s.status} size="lg" />
          </Group>
          <Text c="dimmed" size="sm" data-testid="subscription-summary">
            {planWithQuantity(s.planName, s.quantity)} · {money.format(s.recurringAmount)} {describeCadence(s)}
          </Text>
        </Stack>
        {canEdit && <SubscriptionActions subscription={s} onOpen={setDialog} />}
      </Group>

      <Stack gap="md">
        {s.scheduledChange && (
          <Alert variant="light" icon={<IconCalendarEvent size={18} />} title="A change is scheduled">
            From {dates.day(s.scheduledChange.on)} this subscription moves to {planWithQuantity(s.scheduledChange.planName, s.scheduledChange.quantity)}.
          </Alert>
        )}
        {s.cancelAtPeriodEnd && s.cancelAt && s.status !== 'canceled' && (
          <Alert variant="light" color="orange" icon={<IconCalendarEvent size={18} />} title={`Cancels on ${dates.day(s.cancelAt)}`}>
            It stays {s.status === 'trialing' ? 'in its trial' : 'active'} until then; nothing after that date is invoiced.
          </Alert>
        )}
        {s.status === 'paused' && (
          <Alert variant="light" color="gray" icon={<IconPlayerPause size={18} />} title={s.pausedAt ? `Paused from ${dates.day(s.pausedAt)}` : 'Paused'}>
            No period that starts while it is paused is invoiced. Resuming bills the first period of the original schedule that starts on or after the resume date.
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <SubscriptionDetails subscription={s} />
          <Paper withBorder radius="md" p="md">
            <SubscriptionHistory history={detail.data.history} />
          </Paper>
        </SimpleGrid>
        {detail.data.license && <SubscriptionLicense license={detail.data.license} status={s.status} />}
        <SubscriptionPendingItems items={detail.data.pendingItems.filter((i) => i.kind === 'proration')} nextInvoiceDate={s.nextInvoiceDate} />
        {extraLines?.({ subscriptionId: s.id, items: detail.data.pendingItems, nextInvoiceDate: s.nextInvoiceDate, canAdd: s.status !== 'canceled' })}
        <SubscriptionInvoices subscriptionId={s.id} />
      </Stack>
      <SubscriptionDialogs dialog={dialog} subscription={s} onClose={() => setDialog(null)} />
    </>
  );
}
