import { Alert, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMailOff } from '@tabler/icons-react';
import { useCan } from '../../../lib/auth';
import { placeServerError } from '../../../lib/form-errors';
import { formatDateTime } from '../../../lib/format';
import { queryClient, rpcKey, useRpcMutation, useRpcQuery } from '../../../lib/query';

/** On a customer's page: whether campaign emails reach them, and the switch (staff). */
export function EmailOptOut({ customerId }: { customerId: string }) {
  const canEdit = useCan('staff');
  const state = useRpcQuery('customers.emailOptOut', { id: customerId });
  const set = useRpcMutation('customers.setEmailOptOut', {
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: rpcKey('customers.emailOptOut') });
      void queryClient.invalidateQueries({ queryKey: rpcKey('campaigns.preview') });
    },
    onError: (e) => notifications.show({ color: 'red', title: 'Not changed', message: placeServerError(e, []).message }),
  });
  if (!state.data) return null;
  const since = state.data.emailOptOutAt;
  return (
    <Alert color={since ? 'yellow' : 'gray'} variant="light" icon={<IconMailOff size={18} />} mb="md" data-testid="email-opt-out">
      <Group justify="space-between" gap="sm">
        <Text size="sm">{since ? `Unsubscribed from campaign emails since ${formatDateTime(since)}: no campaign reaches them.` : 'Campaign emails reach this customer.'}</Text>
        {canEdit && (
          <Button size="xs" variant="default" loading={set.isPending} onClick={() => set.mutate({ id: customerId, optOut: !since })}>
            {since ? 'Subscribe again' : 'Unsubscribe'}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
