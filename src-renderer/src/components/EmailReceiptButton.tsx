import { Button, Group, Popover, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMail } from '@tabler/icons-react';
import { useState } from 'react';
import { useCan } from '../lib/auth';
import { placeServerError } from '../lib/form-errors';
import { queryClient, rpcKey, useRpcMutation, useRpcQuery } from '../lib/query';

/**
 * "Email receipt": the sale's receipt with its PDF, to the customer's address or
 * one typed here, through the owner's SMTP server (shown only once email is set
 * up). Shared by the point of sale's after-checkout screen and the sale page.
 */
export function EmailReceiptButton({
  saleId,
  number,
  hasCustomer,
  size = 'sm',
  inModal = false,
}: {
  saleId: string;
  number: string;
  hasCustomer: boolean;
  size?: 'sm' | 'md' | 'lg';
  /** Inside a modal: the dropdown stays in the modal's focus trap (no portal). */
  inModal?: boolean;
}) {
  const canSend = useCan('staff');
  const status = useRpcQuery('email.status', {}, { enabled: canSend });
  const send = useRpcMutation('sales.emailReceipt', { onSettled: () => void queryClient.invalidateQueries({ queryKey: rpcKey('outbox.list') }) });
  const [opened, setOpened] = useState(false);
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!canSend || !status.data?.configured) return null;

  const submit = () => {
    setError(null);
    send.mutate(
      { id: saleId, ...(to.trim() ? { to: to.trim() } : {}) },
      {
        onSuccess: (r) => {
          setOpened(false);
          setTo('');
          if (r.sent) notifications.show({ color: 'green', title: `Receipt ${number} emailed`, message: `Sent to ${r.to} with its PDF.` });
          else notifications.show({ color: 'yellow', title: `Receipt ${number} not sent yet`, message: `It waits in the outbox for ${r.to}: ${r.error ?? ''}`, autoClose: 12_000 });
        },
        onError: (e) => setError(placeServerError(e, []).message),
      },
    );
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom" withArrow trapFocus shadow="md" width={320} withinPortal={!inModal}>
      <Popover.Target>
        <Button size={size} variant="default" leftSection={<IconMail size={16} />} onClick={() => setOpened((o) => !o)}>
          Email receipt
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Stack gap="xs">
            <TextInput
              label="Send to"
              type="email"
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              placeholder={hasCustomer ? "The customer's email" : 'name@example.com'}
              description={hasCustomer ? "Leave empty for the customer's address" : undefined}
              error={error}
              data-autofocus
            />
            <Text size="xs" c="dimmed">
              The receipt goes as a PDF attachment.
            </Text>
            <Group justify="flex-end">
              <Button type="submit" size="xs" loading={send.isPending}>
                Send
              </Button>
            </Group>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
