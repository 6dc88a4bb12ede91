import { Badge, Button, Group, Modal, Select, Stack, Table, Tabs, Text, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconSpeakerphone } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Campaign, CampaignAudience } from '@shared/contract/campaigns';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { ListStates } from '../../../components/ListStates';
import { PageHeader } from '../../../components/PageHeader';
import { TableCard } from '../../../components/ScrollTable';
import { useCan } from '../../../lib/auth';
import { placeServerError } from '../../../lib/form-errors';
import { formatDateTime } from '../../../lib/format';
import { useMoney } from '../../../lib/money';
import { MarkdownPreview } from './MarkdownPreview';
import { useAudiencePreview, useCampaigns, useCreateCampaign, useCustomerFacets, useCustomerViews } from '../api/use-campaigns';

/** Who a campaign's audience is, in words. */
export function audienceText(a: CampaignAudience): string {
  const parts = [a.segment && `segment ${a.segment}`, a.tag && `tag ${a.tag}`, a.status && `${a.status} customers`, a.view && `view “${a.view}”`].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'Every customer';
}

export function campaignStatus(c: Pick<Campaign, 'status'>) {
  return c.status === 'sent' ? { label: 'Sent', color: 'green' } : { label: 'Draft', color: 'gray' };
}

/** Email campaigns: the list, and a new one with a live preview of who gets it. */
export function CampaignsPage() {
  const canEdit = useCan('staff');
  const list = useCampaigns();
  const money = useMoney();
  const navigate = useNavigate();
  const [opened, { open, close }] = useDisclosure(false);
  const rows = list.data?.campaigns ?? [];
  return (
    <>
      <PageHeader
        title="Campaigns"
        description="An email to customers by segment, tag, status or a saved view. Each customer gets it once; customers who unsubscribed never do."
        actions={
          canEdit && (
            <Button leftSection={<IconPlus size={16} />} onClick={open}>
              New campaign
            </Button>
          )
        }
      />
      <ListStates
        query={list}
        what="campaigns"
        isEmpty={rows.length === 0}
        empty={<EmptyPanel icon={<IconSpeakerphone size={26} />} title="No campaigns yet" description="Write one to a segment, a tag or a saved customer view." />}
      >
        <TableCard minWidth={860} columns={['Name', 'Audience', 'Status', { label: 'Sent', align: 'right' }, { label: 'Failed', align: 'right' }, { label: 'Revenue (14 days)', align: 'right' }, 'Sent on']}>
          {rows.map((c) => {
            const status = campaignStatus(c);
            return (
              <Table.Tr key={c.id} data-testid="campaign-row" style={{ cursor: 'pointer' }} onClick={() => void navigate(`/campaigns/${c.id}`)}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {c.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {c.subject}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{audienceText(c.audience)}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={status.color} variant="light">
                    {status.label}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">{c.sent}</Table.Td>
                <Table.Td ta="right">{c.failed}</Table.Td>
                <Table.Td ta="right">{c.sentAt ? money.format(c.attributedRevenue) : '—'}</Table.Td>
                <Table.Td>
                  <Text size="sm">{c.sentAt ? formatDateTime(c.sentAt) : '—'}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </TableCard>
      </ListStates>
      <Modal opened={opened} onClose={close} title="New campaign" size="xl">
        {opened && <NewCampaignForm onDone={(id) => (close(), void navigate(`/campaigns/${id}`))} />}
      </Modal>
    </>
  );
}

function NewCampaignForm({ onDone }: { onDone(id: string): void }) {
  const [name, setName] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [bodyTab, setBodyTab] = useState<'write' | 'preview'>('write');
  const [audience, setAudience] = useState<CampaignAudience>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [debounced] = useDebouncedValue(audience, 200);
  const preview = useAudiencePreview(debounced);
  const facets = useCustomerFacets();
  const views = useCustomerViews();
  const create = useCreateCampaign();
  const pick = (key: keyof CampaignAudience) => (value: string | null) =>
    setAudience((a) => {
      const next = { ...a };
      if (value) (next as Record<string, string>)[key] = value;
      else delete next[key];
      return next;
    });
  const submit = () =>
    create.mutate(
      { name, subject, body, audience },
      {
        onSuccess: (c) => onDone(c.id),
        onError: (e) => {
          const placed = placeServerError(e, ['name', 'subject', 'body', 'view']);
          if (placed.field) setErrors({ [placed.field]: placed.message });
          else notifications.show({ color: 'red', title: 'Not saved', message: placed.message });
        },
      },
    );
  const p = preview.data;
  return (
    <Group align="flex-start" gap="lg" wrap="nowrap">
      <Stack gap="sm" style={{ flex: 3 }}>
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} data-autofocus />
        <TextInput label="Subject" value={subject} onChange={(e) => setSubject(e.currentTarget.value)} error={errors.subject} />
        <Tabs value={bodyTab} onChange={(t) => setBodyTab(t === 'preview' ? 'preview' : 'write')} variant="outline">
          <Tabs.List>
            <Tabs.Tab value="write">Message</Tabs.Tab>
            <Tabs.Tab value="preview">Preview</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="write" pt="xs">
            <Textarea
              aria-label="Message"
              description="Markdown: # a heading, **bold**, *italic*, - a list, [a link](https://…). An unsubscribe line goes under it."
              autosize
              minRows={6}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              error={errors.body}
            />
          </Tabs.Panel>
          <Tabs.Panel value="preview" pt="xs">
            <MarkdownPreview body={body} minHeight={150} />
          </Tabs.Panel>
        </Tabs>
        <Group grow>
          <Select label="Segment" clearable placeholder="Any" data={facets.data?.segments ?? []} value={audience.segment ?? null} onChange={pick('segment')} />
          <Select label="Tag" clearable placeholder="Any" data={facets.data?.tags ?? []} value={audience.tag ?? null} onChange={pick('tag')} />
        </Group>
        <Group grow>
          <Select label="Status" clearable placeholder="Any" data={[{ value: 'active', label: 'Active' }, { value: 'inactive', label: 'Inactive' }]} value={audience.status ?? null} onChange={pick('status')} />
          <Select label="Saved view" clearable placeholder="None" data={(views.data?.views ?? []).map((v) => v.name)} value={audience.view ?? null} onChange={pick('view')} error={errors.view} />
        </Group>
        <Group justify="flex-end">
          <Button onClick={submit} loading={create.isPending}>
            Save campaign
          </Button>
        </Group>
      </Stack>
      <Stack gap={6} style={{ flex: 2, minWidth: 0 }} data-testid="audience-preview">
        <Text size="sm" fw={600}>
          Who gets it
        </Text>
        <Text size="xl" fw={700}>
          {p ? `${p.count} ${p.count === 1 ? 'customer' : 'customers'}` : '…'}
        </Text>
        {p && (p.optedOut > 0 || p.noEmail > 0) && (
          <Text size="xs" c="dimmed">
            {[p.optedOut && `${p.optedOut} unsubscribed`, p.noEmail && `${p.noEmail} without an email address`].filter(Boolean).join(', ')} left out
          </Text>
        )}
        {p?.recipients.map((r) => (
          <Text key={r.customerId} size="sm" truncate>
            {r.name}{' '}
            <Text span size="xs" c="dimmed">
              {r.email}
            </Text>
          </Text>
        ))}
        {p && p.count > p.recipients.length && (
          <Text size="xs" c="dimmed">
            and {p.count - p.recipients.length} more
          </Text>
        )}
      </Stack>
    </Group>
  );
}
