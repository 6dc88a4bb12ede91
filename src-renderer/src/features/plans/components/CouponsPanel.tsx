import { ActionIcon, Button, Group, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArchive, IconPlus, IconTicket } from '@tabler/icons-react';
import { useState } from 'react';
import type { Coupon } from '@shared/domain/billing';
import { DateText } from '../../../components/DateText';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { ListStates } from '../../../components/ListStates';
import { RowTitle } from '../../../components/RowTitle';
import { actionsColumn, TableCard } from '../../../components/ScrollTable';
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
      <ListStates
        query={coupons}
        what="coupons"
        isEmpty={coupons.data?.length === 0}
        empty={
          <EmptyPanel icon={<IconTicket size={26} />} title="No coupons" description="A coupon takes a percentage or an amount off a subscription's invoices.">
            {canEdit && (
              <Button mt="md" leftSection={<IconPlus size={16} />} onClick={onCreate}>
                Create your first coupon
              </Button>
            )}
          </EmptyPanel>
        }
      >
        <TableCard
          minWidth={720}
          columns={['Code', 'Discount', 'Applies to', 'Expires', { label: 'Used', align: 'right' }, actionsColumn()]}
        >
          {coupons.data?.map((coupon) => (
            <Table.Tr key={coupon.id} data-testid={`coupon-row-${coupon.code}`} opacity={coupon.archived ? 0.7 : 1}>
              <Table.Td>
                <RowTitle title={coupon.code} tag={coupon.archived && 'Archived'} monospace />
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
        </TableCard>
      </ListStates>
    </Stack>
  );
}
