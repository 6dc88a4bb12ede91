import { ActionIcon, Badge, Button, EmptyState, Group, Paper, Stack, Switch, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArchive, IconPlus, IconTicket } from '@tabler/icons-react';
import { useState } from 'react';
import type { Coupon } from '../../../../../src-shared/domain/billing';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { DateText } from '../../../components/DateText';
import { QueryError } from '../../../components/QueryError';
import { useCan } from '../../../lib/auth';
import { placeServerError } from '../../../lib/form-errors';
import { useMoney } from '../../../lib/money';
import { useArchiveCoupon } from '../api/use-archive-coupon';
import { useCoupons } from '../api/use-coupons';
import { describeDiscount, describeDuration } from '../plan-format';

export function CouponsPanel({ onCreate }: { onCreate: () => void }) {
  const canEdit = useCan('staff');
  const money = useMoney();
  const [showArchived, setShowArchived] = useState(false);
  const coupons = useCoupons(showArchived);
  const archive = useArchiveCoupon();

  const archiveCoupon = (coupon: Coupon) =>
    archive.mutate(
      { id: coupon.id },
      {
        onSuccess: () => notifications.show({ title: 'Coupon archived', message: `${coupon.code} can no longer be applied; subscriptions that have it keep it.` }),
        onError: (e) => notifications.show({ color: 'red', title: `Could not archive ${coupon.code}`, message: placeServerError(e, []).message }),
      },
    );

  return (
    <Stack gap="sm">
      <Group justify="flex-end">
        <Switch label="Show archived" checked={showArchived} onChange={(e) => setShowArchived(e.currentTarget.checked)} />
      </Group>
      {coupons.isPending && <CenteredLoader label="Loading coupons" />}
      {coupons.isError && <QueryError title="Could not load the coupons" error={coupons.error} onRetry={() => void coupons.refetch()} />}
      {coupons.data && coupons.data.length === 0 && (
        <Paper withBorder radius="md" py={48} px="xl">
          <EmptyState icon={<IconTicket size={26} />} title="No coupons" description="A coupon takes a percentage or an amount off a subscription's invoices." maw={520} mx="auto">
            {canEdit && (
              <Button mt="md" leftSection={<IconPlus size={16} />} onClick={onCreate}>
                Create your first coupon
              </Button>
            )}
          </EmptyState>
        </Paper>
      )}
      {coupons.data && coupons.data.length > 0 && (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={720} type="native">
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Code</Table.Th>
                  <Table.Th>Discount</Table.Th>
                  <Table.Th>Applies to</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th ta="right">Used</Table.Th>
                  <Table.Th w={48} pos="relative">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {coupons.data.map((coupon) => (
                  <Table.Tr key={coupon.id} data-testid={`coupon-row-${coupon.code}`} opacity={coupon.archived ? 0.7 : 1}>
                    <Table.Td>
                      <Group gap={8} wrap="nowrap">
                        <Text size="sm" fw={600} ff="monospace">
                          {coupon.code}
                        </Text>
                        {coupon.archived && (
                          <Badge size="xs" variant="outline" color="gray">
                            Archived
                          </Badge>
                        )}
                      </Group>
                      {coupon.name && (
                        <Text size="xs" c="dimmed">
                          {coupon.name}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{describeDiscount(coupon, money.format)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{describeDuration(coupon)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={coupon.expiresOn ? undefined : 'dimmed'}>
                        <DateText date={coupon.expiresOn} fallback="Never" />
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm">
                        {coupon.timesRedeemed}
                        {coupon.maxRedemptions !== null ? ` of ${coupon.maxRedemptions}` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {canEdit && !coupon.archived && (
                        <Tooltip label="Archive: no new subscriptions can use it" withArrow>
                          <ActionIcon variant="subtle" color="gray" aria-label={`Archive ${coupon.code}`} onClick={() => archiveCoupon(coupon)}>
                            <IconArchive size={18} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </Stack>
  );
}
