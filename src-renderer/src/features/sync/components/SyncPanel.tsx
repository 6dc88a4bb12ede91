import { Alert, Badge, Button, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCloudOff, IconInfoCircle, IconLink, IconPlugConnectedX, IconRefresh, IconReceipt } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { SyncStatus } from '@shared/contract/sync';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { QueryError } from '../../../components/QueryError';
import { ScrollTable } from '../../../components/ScrollTable';
import { formatDateTime } from '../../../lib/format';
import { useDisconnectSync, useSyncIndicator, useSyncNow, useSyncStatus, useTakeBillingDevice } from '../api/use-sync';
import { ago, headerText } from '../sync-text';
import { useNow } from '../use-now';
import { ConflictsTable } from './ConflictsTable';
import { ConnectForm } from './ConnectForm';
import { PairModal } from './PairModal';
import { UploadProgress, useSyncProgress, type SyncProgressEvent } from './UploadProgress';

/**
 * Settings > Sync. Not connected: the owner connects (others read why they
 * cannot). Connected: the server, this PC, the billing PC, the devices, Sync
 * now, Pair another PC, the conflicts, Disconnect (owner).
 */
export function SyncPanel({ isOwner, businessName }: { isOwner: boolean; businessName: string }) {
  const status = useSyncStatus();
  // Followed here, above both views: a first upload starts in the form and goes on once the panel shows the connection.
  const progress = useSyncProgress();
  if (status.isPending) return <CenteredLoader />;
  if (status.isError) return <QueryError title="Could not read the sync status" error={status.error} onRetry={() => void status.refetch()} />;
  if (!status.data.server) {
    if (isOwner) return <ConnectForm businessName={businessName} progress={progress} />;
    return (
      <Alert icon={<IconInfoCircle size={18} />} variant="light" title="This business does not sync" maw={640}>
        {businessName} is kept on this PC only. Its owner can connect it to a sync server here, so that it can be used from several PCs.
      </Alert>
    );
  }
  return <Connected status={status.data} isOwner={isOwner} progress={progress} />;
}

function Connected({ status, isOwner, progress }: { status: SyncStatus; isOwner: boolean; progress: SyncProgressEvent | null }) {
  const indicator = useSyncIndicator();
  const syncNow = useSyncNow();
  const [pairing, pair] = useDisclosure(false);
  const [taking, take] = useDisclosure(false);
  const [leaving, leave] = useDisclosure(false);
  const now = useNow();
  const isBillingPc = status.billingDevice?.id === status.deviceId;
  const health = indicator.data ? headerText(indicator.data, now) : null;
  // A Sync now that failed stays said until a later sync (by itself or by hand) succeeds.
  const failedNow = syncNow.isError && indicator.data?.state !== 'ok';
  // What waits and when it last synced: this PC's own, fresher than the server's answer.
  const pending = indicator.data?.pending ?? status.pending;
  const lastSyncAt = indicator.data?.lastSyncAt ?? status.lastSyncAt;
  // During a big upload, what waits is what the upload has left (its count, not the header's count of records).
  const uploading = progress?.phase === 'uploading' ? progress : null;

  const runSync = () =>
    syncNow.mutate(
      {},
      {
        onSuccess: (r) =>
          notifications.show({
            color: 'green',
            title: 'Synced',
            message: `Sent ${r.pushed.toLocaleString()} and received ${r.pulled.toLocaleString()} changes${r.conflicts ? `; ${r.conflicts} conflicts listed below` : ''}.`,
          }),
      },
    );

  return (
    <Stack gap="xl" maw={980}>
      <Paper withBorder radius="md" p="lg">
        <Stack gap="md">
          <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
            <div>
              <Title order={4}>Connected to a sync server</Title>
              <Text size="sm" c="dimmed">
                Changes go to the server a few seconds after they are made, and the other PCs' arrive every few minutes. Offline, they wait here.
              </Text>
            </div>
            <Group gap="xs">
              <Button leftSection={<IconRefresh size={16} />} loading={syncNow.isPending} onClick={runSync}>
                Sync now
              </Button>
              {isOwner && (
                <Button variant="light" leftSection={<IconLink size={16} />} onClick={pair.open} disabled={!status.online}>
                  Pair another PC
                </Button>
              )}
            </Group>
          </Group>

          <UploadProgress progress={progress} />
          {failedNow && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Sync did not finish; the changes wait on this PC" role="alert">
              {syncNow.error.message}
            </Alert>
          )}
          {status.problem && !failedNow && (
            <Alert color={status.online ? 'orange' : 'gray'} variant="light" icon={status.online ? <IconAlertTriangle size={18} /> : <IconCloudOff size={18} />} role="status">
              {status.problem}
              {!status.online && ' This PC keeps working; what is shown below is what it knew at its last sync.'}
            </Alert>
          )}
          {health?.tone === 'warning' && !status.problem && !failedNow && (
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />}>
              {health.detail}
            </Alert>
          )}

          <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md" verticalSpacing="sm">
            <Fact label="Server">{status.server}</Fact>
            <Fact label="This PC">{status.deviceName ?? status.deviceId}</Fact>
            <Fact label="Last synced">
              {lastSyncAt ? (
                <span title={formatDateTime(lastSyncAt)}>{ago(lastSyncAt, now)}</span>
              ) : (
                'never'
              )}
            </Fact>
            <Fact label="Waiting to sync">
              {uploading
                ? `${(uploading.total - uploading.uploaded).toLocaleString()} changes, uploading`
                : pending === 0
                  ? 'nothing'
                  : pending === 1
                    ? '1 change'
                    : `${pending.toLocaleString()} changes`}
            </Fact>
            <Fact label="Billing PC">
              <Group gap={6} wrap="nowrap">
                <span>{status.billingDevice?.name ?? 'none'}</span>
                {isBillingPc && (
                  <Badge size="xs" variant="light">
                    this PC
                  </Badge>
                )}
              </Group>
            </Fact>
          </SimpleGrid>
          {isOwner && !isBillingPc && (
            <Group gap="sm">
              <Button variant="default" size="xs" leftSection={<IconReceipt size={14} />} onClick={take.open} disabled={!status.online}>
                Make this PC the billing PC
              </Button>
              <Text size="xs" c="dimmed">
                {status.billingDevice ? `Invoices are issued and cards charged on ${status.billingDevice.name}.` : 'No PC issues invoices now.'}
              </Text>
            </Group>
          )}
        </Stack>
      </Paper>

      <Stack gap="xs">
        <Title order={4}>PCs of this business</Title>
        <Paper withBorder radius="md">
          {status.devices.length === 0 ? (
            <Text p="md" size="sm" c="dimmed">
              The server did not answer, so the list of PCs is not known right now.
            </Text>
          ) : (
            <ScrollTable minWidth={480} columns={['PC', 'Last sync', 'Role']} verticalSpacing="xs" horizontalSpacing="md" aria-label="PCs of this business">
              {status.devices.map((d) => (
                <Table.Tr key={d.id} c={d.revoked ? 'dimmed' : undefined}>
                  <Table.Td fw={d.id === status.deviceId ? 600 : undefined}>
                    {d.name}
                    {d.id === status.deviceId ? ' (this PC)' : ''}
                  </Table.Td>
                  <Table.Td>{d.lastSyncAt ? <span title={formatDateTime(d.lastSyncAt)}>{ago(d.lastSyncAt, now)}</span> : 'never'}</Table.Td>
                  <Table.Td>{d.revoked ? 'Removed' : d.id === status.billingDevice?.id ? 'Billing PC' : 'Syncs'}</Table.Td>
                </Table.Tr>
              ))}
            </ScrollTable>
          )}
        </Paper>
      </Stack>

      <ConflictsTable />

      {isOwner && (
        <Paper withBorder radius="md" p="lg">
          <Group justify="space-between" wrap="wrap" gap="sm">
            <div style={{ flex: '1 1 320px' }}>
              <Title order={5}>Disconnect this PC</Title>
              <Text size="sm" c="dimmed">
                The server forgets this PC. The business and its data stay here and keep working, but changes are no longer shared.
              </Text>
            </div>
            <Button color="red" variant="light" leftSection={<IconPlugConnectedX size={16} />} onClick={leave.open}>
              Disconnect
            </Button>
          </Group>
        </Paper>
      )}

      {isOwner && status.server && <PairModal opened={pairing} onClose={pair.close} server={status.server} />}
      <TakeBillingModal opened={taking} onClose={take.close} current={status.billingDevice?.name ?? null} />
      <DisconnectModal opened={leaving} onClose={leave.close} server={status.server ?? ''} />
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: '0.04em' }}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}

function TakeBillingModal({ opened, onClose, current }: { opened: boolean; onClose: () => void; current: string | null }) {
  const takeBilling = useTakeBillingDevice();
  const confirm = () =>
    takeBilling.mutate(
      {},
      {
        onSuccess: () => {
          notifications.show({ color: 'green', title: 'This PC is the billing PC', message: 'It issues subscription invoices and charges cards from now on.' });
          onClose();
        },
      },
    );
  return (
    <Modal opened={opened} onClose={onClose} title="Make this PC the billing PC?">
      <Stack gap="md">
        <Text size="sm">
          From now on this PC issues subscription invoices and charges cards on its billing timer
          {current ? `, and ${current} stops doing so as soon as it next syncs` : ''}. Only one PC bills at a time, so no period is invoiced twice.
        </Text>
        <Text size="sm" c="dimmed">
          Keep this PC on and Recurra open on the days invoices are due.
        </Text>
        {takeBilling.isError && (
          <Alert color="red" variant="light">
            {takeBilling.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={confirm} loading={takeBilling.isPending}>
            Make this PC the billing PC
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function DisconnectModal({ opened, onClose, server }: { opened: boolean; onClose: () => void; server: string }) {
  const disconnect = useDisconnectSync();
  const confirm = () =>
    disconnect.mutate(
      {},
      {
        onSuccess: () => {
          notifications.show({ color: 'green', title: 'Disconnected', message: 'This PC no longer syncs. Its data stays here.' });
          onClose();
        },
      },
    );
  return (
    <Modal opened={opened} onClose={onClose} title="Disconnect this PC?">
      <Stack gap="md">
        <Text size="sm">
          {server} forgets this PC. Everything stays on this PC and keeps working; changes made here are no longer sent to the other PCs, nor
          theirs received. Changes still waiting to sync stay here only.
        </Text>
        {disconnect.isError && (
          <Alert color="red" variant="light">
            {disconnect.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" onClick={confirm} loading={disconnect.isPending}>
            Disconnect
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
