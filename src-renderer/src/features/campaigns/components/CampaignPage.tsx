import { Alert, Badge, Button, Card, Group, Modal, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { notifications } from '@mantine/notifications';
import { IconSend } from '@tabler/icons-react';
import { useParams } from 'react-router';
import type { CampaignRecipient } from '@shared/contract/campaigns';
import { ListStates } from '../../../components/ListStates';
import { PageHeader } from '../../../components/PageHeader';
import { TableCard } from '../../../components/ScrollTable';
import { useCan } from '../../../lib/auth';
import { placeServerError } from '../../../lib/form-errors';
import { formatDateTime } from '../../../lib/format';
import { useMoney } from '../../../lib/money';
import { useAudiencePreview, useCampaign, useSendCampaign } from '../api/use-campaigns';
import { audienceText, campaignStatus } from './CampaignsPage';
import { MarkdownPreview } from './MarkdownPreview';

const RECIPIENT_STATUS: Record<CampaignRecipient['status'], { label: string; color: string }> = {
  queued: { label: 'Queued', color: 'gray' },
  sent: { label: 'Sent', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
  skipped: { label: 'Unsubscribed', color: 'yellow' },
};

/** One campaign: its message, audience, send (with a confirmation naming the count), results per recipient and revenue. */
export function CampaignPage() {
  const { id = '' } = useParams();
  const query = useCampaign(id);
  const c = query.data;
  const canSend = useCan('staff');
  const money = useMoney();
  const [confirming, { open, close }] = useDisclosure(false);
  const preview = useAudiencePreview(c?.audience ?? {});
  const send = useSendCampaign();
  const toSend = c?.status === 'sent' ? null : (preview.data?.count ?? 0);
  const doSend = () =>
    send.mutate(
      { id },
      {
        onSuccess: (r) => {
          close();
          notifications.show({ color: r.failed ? 'yellow' : 'green', title: 'Campaign sent', message: `${r.sent} sent, ${r.failed} failed, ${r.queued} waiting` });
        },
        onError: (e) => {
          close();
          notifications.show({ color: 'red', title: 'Not sent', message: placeServerError(e, []).message });
        },
      },
    );
  return (
    <ListStates query={query} what="campaign" isEmpty={false}>
      {c && (
        <>
          <PageHeader
            title={c.name}
            description={`${c.subject} · ${audienceText(c.audience)}`}
            actions={
              canSend && (
                <Button leftSection={<IconSend size={16} />} onClick={open} variant={c.status === 'sent' ? 'default' : 'filled'}>
                  {c.status === 'sent' ? 'Send to new members' : 'Send'}
                </Button>
              )
            }
          />
          <Stack gap="md">
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              <Stat label="Status" value={<Badge color={campaignStatus(c).color} variant="light">{campaignStatus(c).label}</Badge>} />
              <Stat label="Recipients" value={`${c.sent} sent · ${c.failed} failed`} hint={`${c.queued} waiting, ${c.skipped} unsubscribed before it went`} />
              <Stat label="Revenue, 14 days from sending" value={c.window ? money.format(c.attributedRevenue) : '—'} hint={c.window ? `${c.window.after.from} to ${c.window.after.to}` : 'Not sent yet'} />
              <Stat label="The 14 days before" value={c.window ? money.format(c.previousRevenue) : '—'} hint={c.window ? `${c.window.before.from} to ${c.window.before.to}` : 'Same recipients'} />
            </SimpleGrid>
            <Card withBorder padding="md">
              <Text size="xs" c="dimmed" mb={4}>
                Message{c.sentAt ? ` · sent ${formatDateTime(c.sentAt)}` : ''}
              </Text>
              <MarkdownPreview body={c.body} />
            </Card>
            {c.recipientRows.length > 0 && (
              <TableCard minWidth={700} columns={['Customer', 'Email', 'Status', 'Sent', 'Reason']}>
                {c.recipientRows.map((r) => {
                  const s = RECIPIENT_STATUS[r.status];
                  return (
                    <Table.Tr key={r.customerId} data-testid="recipient-row">
                      <Table.Td>{r.name}</Table.Td>
                      <Table.Td>{r.email}</Table.Td>
                      <Table.Td>
                        <Badge color={s.color} variant="light">
                          {s.label}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{r.sentAt ? formatDateTime(r.sentAt) : '—'}</Table.Td>
                      <Table.Td maw={280}>
                        <Text size="xs" c={r.error ? 'red' : 'dimmed'} lineClamp={2}>
                          {r.error ?? '—'}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </TableCard>
            )}
          </Stack>
          <Modal opened={confirming} onClose={close} title={c.status === 'sent' ? 'Send to new members?' : 'Send this campaign?'}>
            <Stack>
              {toSend !== null ? (
                <Text>
                  “{c.subject}” goes to <b>{toSend} {toSend === 1 ? 'customer' : 'customers'}</b> now. Each gets it once.
                </Text>
              ) : (
                <Text>It goes only to customers who joined the audience since it was sent; nobody gets it twice.</Text>
              )}
              {preview.data && preview.data.optedOut > 0 && <Alert color="gray">{preview.data.optedOut} unsubscribed customers are left out.</Alert>}
              <Group justify="flex-end">
                <Button variant="default" onClick={close}>
                  Cancel
                </Button>
                <Button onClick={doSend} loading={send.isPending} disabled={toSend === 0}>
                  {toSend !== null ? `Send to ${toSend}` : 'Send'}
                </Button>
              </Group>
            </Stack>
          </Modal>
        </>
      )}
    </ListStates>
  );
}

function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={600} component="div">
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  );
}
