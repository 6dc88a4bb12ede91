import { Badge, Button, Code, Group, Stack, Table, Text } from '@mantine/core';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { ApiKey } from '@shared/contract/api-keys';
import { ConfirmDeleteModal } from '../../../components/ConfirmDeleteModal';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { ListStates } from '../../../components/ListStates';
import { RowTitle } from '../../../components/RowTitle';
import { actionsColumn, TableCard } from '../../../components/ScrollTable';
import { useDates } from '../../../lib/dates';
import { formatDateTime } from '../../../lib/format';
import { useApiKeys, useRevokeApiKey } from '../api/use-api-keys';
import { CreateApiKeyModal } from './CreateApiKeyModal';

/** Settings → API keys (owners): keys for the sync server's REST API. */
export function ApiKeysPanel() {
  const keys = useApiKeys();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const create = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
      Create API key
    </Button>
  );

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Text fw={600}>Keys for the REST API</Text>
          <Text size="sm" c="dimmed">
            For your website, scripts and accounting tools. Keys reach the server with the next sync, and so does a revocation.
          </Text>
        </div>
        {create}
      </Group>

      <ListStates
        query={keys}
        what="API keys"
        isEmpty={keys.data?.length === 0}
        empty={
          <EmptyPanel icon={<IconKey size={28} />} title="No API keys yet" description="Create one for each place that talks to the API, so you can revoke one without the others.">
            {create}
          </EmptyPanel>
        }
      >
        <TableCard minWidth={820} highlightOnHover columns={['Name', 'Scope', 'Key', 'Created', 'Last used', 'Status', actionsColumn(90)]}>
          {keys.data?.map((key) => (
            <ApiKeyRow key={key.id} apiKey={key} onRevoke={() => setRevoking(key)} />
          ))}
        </TableCard>
      </ListStates>

      {creating && <CreateApiKeyModal onClose={() => setCreating(false)} />}
      {revoking && <RevokeApiKeyModal apiKey={revoking} onClose={() => setRevoking(null)} />}
    </Stack>
  );
}

function ApiKeyRow({ apiKey: k, onRevoke }: { apiKey: ApiKey; onRevoke(): void }) {
  const dates = useDates();
  const revoked = k.revokedAt !== null;
  return (
    <Table.Tr data-testid={`api-key-row-${k.keyPrefix}`} opacity={revoked ? 0.65 : 1}>
      <Table.Td>
        <RowTitle title={k.name} />
        {k.createdByName && (
          <Text size="xs" c="dimmed">
            by {k.createdByName}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={k.scope === 'write' ? 'orange' : 'blue'}>
          {k.scope === 'write' ? 'Read and write' : 'Read only'}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Code>rk_{k.keyPrefix}…</Code>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatDateTime(k.createdAt)}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={k.lastUsedOn ? undefined : 'dimmed'} data-testid="api-key-last-used">
          {k.lastUsedOn ? dates.day(k.lastUsedOn) : 'Never'}
        </Text>
      </Table.Td>
      <Table.Td>
        {revoked ? (
          <>
            <Badge variant="light" color="gray" data-testid="api-key-status">
              Revoked
            </Badge>
            <Text size="xs" c="dimmed" mt={2}>
              {formatDateTime(k.revokedAt)}
            </Text>
          </>
        ) : (
          <Badge variant="light" color="green" data-testid="api-key-status">
            Active
          </Badge>
        )}
      </Table.Td>
      <Table.Td ta="right">
        {!revoked && (
          <Button size="xs" variant="subtle" color="red" onClick={onRevoke} aria-label={`Revoke ${k.name}`}>
            Revoke
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function RevokeApiKeyModal({ apiKey, onClose }: { apiKey: ApiKey; onClose(): void }) {
  const revoke = useRevokeApiKey();
  return (
    <ConfirmDeleteModal
      title={`Revoke ${apiKey.name}?`}
      confirmLabel="Revoke key"
      pending={revoke.isPending}
      onConfirm={() => revoke.mutateAsync({ id: apiKey.id }).then(onClose)}
      onClose={onClose}
      centered
    >
      <Text size="sm">
        Whatever uses <Code>rk_{apiKey.keyPrefix}…</Code> stops working once this PC has synced with the server. A revoked key cannot be
        turned back on: make a new one instead.
      </Text>
    </ConfirmDeleteModal>
  );
}
