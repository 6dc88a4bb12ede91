import { ActionIcon, Badge, CopyButton, DataList, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconDeviceDesktop } from '@tabler/icons-react';
import type { LicenseMachine, SubscriptionLicense as License } from '@shared/contract/billing';
import type { SubscriptionStatus } from '@shared/domain/billing';
import { dateInTimeZone } from '@shared/domain/dates';
import { licenseStatusOn } from '@shared/domain/license';
import { DateText } from '../../../components/DateText';
import { ScrollTable } from '../../../components/ScrollTable';
import { SectionCard } from '../../../components/SectionCard';
import { useSession } from '../../../lib/auth';
import { useDates, useToday } from '../../../lib/dates';
import { machinesSummary, shortFingerprint } from '../license-format';

/**
 * The subscription's license key (spec/server.md "License keys"): the key to
 * hand to the customer, whether it is valid today, the machines it is
 * activated on and when the business's product last checked it. The machines
 * and the last check are written by the server and arrive with a sync.
 */
export function SubscriptionLicense({ license: l, status }: { license: License; status: SubscriptionStatus }) {
  const dates = useDates();
  const today = useToday();
  // The shared rule, on the day this window shows (the core's `status` is the same rule on its clock).
  const valid = licenseStatusOn(l.expiresOn, today) === 'valid';

  return (
    <SectionCard title="License">
      <Stack gap="md" data-testid="subscription-license">
        <DataList labelWidth={130} gap={10}>
          <DataList.Item>
            <DataList.ItemLabel>Key</DataList.ItemLabel>
            <DataList.ItemValue>
              <Group gap={6} wrap="nowrap">
                <Text span ff="monospace" fw={600} data-testid="license-key">
                  {l.key}
                </Text>
                <CopyButton value={l.key}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? 'Copied' : 'Copy the license key'} withArrow>
                      <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} size="sm" onClick={copy} aria-label="Copy the license key">
                        {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                      </ActionIcon>
                    </Tooltip>
                  )}
                </CopyButton>
              </Group>
              <Text size="xs" c="dimmed">
                Give this key to the customer: your product checks it with the server.
              </Text>
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Status</DataList.ItemLabel>
            <DataList.ItemValue>
              <Group gap="xs" wrap="wrap">
                <Badge variant="light" color={valid ? 'green' : 'red'} data-testid="license-status">
                  {valid ? 'Valid' : 'Expired'}
                </Badge>
                <Text span size="sm" c={valid ? undefined : 'red'} data-testid="license-expiry">
                  {l.expiresOn === null ? 'No expiry date' : valid ? `Expires on ${dates.day(l.expiresOn)}` : `Expired on ${dates.day(l.expiresOn)}`}
                </Text>
              </Group>
              {valid && status === 'past_due' && (
                <Text size="xs" c="orange" mt={2} data-testid="license-past-due">
                  A payment is failing: the key stays valid through the payment retries, and ends if the last one fails.
                </Text>
              )}
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item data-testid="license-machines-count">
            <DataList.ItemLabel>Machines</DataList.ItemLabel>
            <DataList.ItemValue>{machinesSummary(l)}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item data-testid="license-validated">
            <DataList.ItemLabel>Last validated</DataList.ItemLabel>
            <DataList.ItemValue>
              {l.validatedOn ? (
                <DateText date={l.validatedOn} />
              ) : (
                <>
                  <Text span size="sm">
                    Never validated
                  </Text>
                  <Text size="xs" c="dimmed">
                    Your product has not checked this key with the server yet.
                  </Text>
                </>
              )}
            </DataList.ItemValue>
          </DataList.Item>
        </DataList>

        {l.machines.length === 0 ? (
          <Group gap="sm" wrap="nowrap" data-testid="license-no-machines">
            <IconDeviceDesktop size={20} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />
            <Text size="sm" c="dimmed">
              No machines activated yet. Your product activates them through the license API, and they appear here after this PC syncs with the
              server.
            </Text>
          </Group>
        ) : (
          <ScrollTable
            minWidth={620}
            verticalSpacing={8}
            data-testid="license-machines"
            columns={['Machine', 'Fingerprint', 'Activated', 'Last seen', 'Status']}
          >
            {l.machines.map((m) => (
              <MachineRow key={m.id} machine={m} />
            ))}
          </ScrollTable>
        )}
      </Stack>
    </SectionCard>
  );
}

function MachineRow({ machine: m }: { machine: LicenseMachine }) {
  const { business } = useSession();
  const dates = useDates();
  const active = m.deactivatedAt === null;
  /** The server stamps activations (ISO instants); shown as the business's day. */
  const day = (value: string) => dates.day(value.length > 10 ? dateInTimeZone(new Date(value), business.timezone) : value);
  return (
    <Table.Tr data-testid="license-machine" data-active={active} opacity={active ? 1 : 0.55}>
      <Table.Td>
        <Text size="sm" fw={500} c={m.name ? undefined : 'dimmed'}>
          {m.name ?? 'No name'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Tooltip label={m.fingerprint} withArrow openDelay={300}>
          <Text span size="sm" ff="monospace" data-testid="license-machine-fingerprint">
            {shortFingerprint(m.fingerprint)}
          </Text>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{day(m.activatedAt)}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={m.lastSeenOn ? undefined : 'dimmed'}>
          {m.lastSeenOn ? dates.day(m.lastSeenOn) : 'Not yet'}
        </Text>
      </Table.Td>
      <Table.Td>
        {m.deactivatedAt === null ? (
          <Badge variant="light" color="green" size="sm">
            Active
          </Badge>
        ) : (
          <Text size="sm" c="dimmed">
            Deactivated {day(m.deactivatedAt)}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
