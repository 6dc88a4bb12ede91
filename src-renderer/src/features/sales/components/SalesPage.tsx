import { Anchor, Badge, Button, Group, Select, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { IconActivity, IconBuildingStore, IconChartBar, IconListDetails, IconReceipt2, IconReportMoney, IconSearch, IconTrophy } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { SALE_METHODS, SALE_STATUSES, type SaleMethod, type SaleStatus } from '@shared/contract/sales';
import { CustomerPicker } from '../../../components/CustomerPicker';
import { DateText } from '../../../components/DateText';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { ListStates } from '../../../components/ListStates';
import { PageHeader } from '../../../components/PageHeader';
import { Pager } from '../../../components/Pager';
import { TableCard } from '../../../components/ScrollTable';
import { useCan } from '../../../lib/auth';
import { useMoney } from '../../../lib/money';
import { isFiltered, NO_FILTER, SALES_PAGE, useSales, type SaleFilter } from '../api/use-sales';
import { itemCount, METHOD_LABELS, saleMethodLabel, STATUS_BADGES } from '../sale-labels';
import { BestSellers, Demand, SalesAnomalies } from './SalesInsights';

const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/** The sales: their history, the best sellers, the demand per product and the unusual days (insights). */
export function SalesPage() {
  const [tab, setTab] = useState<string | null>('history');
  const canSell = useCan('staff');
  return (
    <>
      <PageHeader
        title="Sales"
        description="Sales made at the counter: open one to see its lines and payments, print its receipt, refund it or invoice it."
        actions={
          <>
            <Button component={Link} to="/sales/day" variant="default" leftSection={<IconReportMoney size={16} />}>
              End of day (Z)
            </Button>
            {canSell && (
              <Button component={Link} to="/sell" leftSection={<IconBuildingStore size={16} />}>
                Sell
              </Button>
            )}
          </>
        }
      />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="history" leftSection={<IconListDetails size={15} />}>
            History
          </Tabs.Tab>
          <Tabs.Tab value="best" leftSection={<IconTrophy size={15} />}>
            Best sellers
          </Tabs.Tab>
          <Tabs.Tab value="demand" leftSection={<IconChartBar size={15} />}>
            Demand
          </Tabs.Tab>
          <Tabs.Tab value="unusual" leftSection={<IconActivity size={15} />}>
            Unusual days
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="history">
          <SalesHistory />
        </Tabs.Panel>
        <Tabs.Panel value="best">
          <BestSellers />
        </Tabs.Panel>
        <Tabs.Panel value="demand">
          <Demand />
        </Tabs.Panel>
        <Tabs.Panel value="unusual">
          <SalesAnomalies />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

/** Every counter sale, newest first, narrowed by dates, method, status, customer or receipt number. */
function SalesHistory() {
  const money = useMoney();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<SaleFilter>(NO_FILTER);
  const list = useSales(filter);
  const total = list.data?.total ?? 0;
  const narrowed = isFiltered(filter);
  const update = (changes: Partial<SaleFilter>) => setFilter((f) => ({ ...f, page: 0, ...changes }));

  return (
    <Stack gap="sm">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <TextInput
          label="Receipt"
          placeholder="R-000123"
          leftSection={<IconSearch size={14} />}
          value={filter.search}
          onChange={(e) => update({ search: e.currentTarget.value })}
          w={125}
        />
        <TextInput type="date" label="From" value={filter.from} onChange={(e) => update({ from: e.currentTarget.value })} w={145} />
        <TextInput type="date" label="To" value={filter.to} onChange={(e) => update({ to: e.currentTarget.value })} w={145} />
        <Select
          label="Paid by"
          placeholder="Any method"
          clearable
          w={145}
          value={filter.method}
          onChange={(v) => update({ method: (v as SaleMethod | 'split' | null) ?? null })}
          data={[...SALE_METHODS, 'split' as const].map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
        />
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          w={145}
          value={filter.status}
          onChange={(v) => update({ status: (v as SaleStatus | null) ?? null })}
          data={SALE_STATUSES.map((s) => ({ value: s, label: STATUS_BADGES[s].label }))}
        />
        <CustomerPicker label="Customer" w={200} value={filter.customer} onChange={(customer) => update({ customer })} />
        {narrowed && (
          <Button variant="subtle" color="gray" onClick={() => setFilter(NO_FILTER)}>
            Clear
          </Button>
        )}
      </Group>

      <ListStates
        query={list}
        what="sales"
        isEmpty={total === 0}
        empty={
          <EmptyPanel
            icon={<IconReceipt2 size={26} />}
            title={narrowed ? 'No sales match' : 'No sales yet'}
            description={narrowed ? 'Try other dates, another method or status, or clear the filters.' : 'Sales rung up on the Sell screen show here.'}
          />
        }
      >
        <TableCard
          minWidth={820}
          stale={list.isPlaceholderData}
          columns={['Receipt', 'Date', 'Customer', 'Items', 'Paid by', { label: 'Total', align: 'right' }, { label: 'Status', width: 150 }]}
        >
          {list.data?.rows.map((s) => {
            const status = STATUS_BADGES[s.status];
            return (
              <Table.Tr key={s.id} data-testid="sale-row" style={{ cursor: 'pointer' }} onClick={() => void navigate(`/sales/${s.id}`)}>
                <Table.Td style={NO_WRAP}>
                  <Anchor component={Link} to={`/sales/${s.id}`} ff="monospace" fw={600} size="sm" onClick={(e) => e.stopPropagation()}>
                    {s.number}
                  </Anchor>
                </Table.Td>
                <Table.Td style={NO_WRAP}>
                  <Text size="sm">
                    <DateText date={s.soldOn} />
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={s.customerName ? undefined : 'dimmed'}>
                    {s.customerName ?? 'Walk-in'}
                  </Text>
                </Table.Td>
                <Table.Td style={NO_WRAP}>
                  <Text size="sm">{itemCount(s)}</Text>
                </Table.Td>
                <Table.Td style={NO_WRAP}>
                  <Text size="sm">{saleMethodLabel(s)}</Text>
                </Table.Td>
                <Table.Td ta="right" style={NO_WRAP}>
                  <Text size="sm" fw={600}>
                    {money.format(s.total)}
                  </Text>
                  {s.refunded > 0 && (
                    <Text size="xs" c="dimmed">
                      {money.format(s.refunded)} refunded
                    </Text>
                  )}
                </Table.Td>
                <Table.Td style={NO_WRAP}>
                  <Badge color={status.color} variant="light" maw="none">
                    {status.label}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </TableCard>
      </ListStates>
      <Pager total={total} pageSize={SALES_PAGE} page={filter.page} onPageChange={(page) => setFilter((f) => ({ ...f, page }))} what="sales" />
    </Stack>
  );
}
