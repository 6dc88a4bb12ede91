import type { ReactNode } from 'react';
import { Anchor, Stack, Table, Text } from '@mantine/core';
import { IconFileInvoice } from '@tabler/icons-react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { InvoiceStatus } from '@shared/domain/billing';
import { DateText } from '../../../components/DateText';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { INVOICE_STATUS_LABELS, InvoiceStatusBadge } from '../../../components/InvoiceStatusBadge';
import { ListStates } from '../../../components/ListStates';
import { PageHeader } from '../../../components/PageHeader';
import { Pager } from '../../../components/Pager';
import { TableCard } from '../../../components/ScrollTable';
import { StatusSearchBar } from '../../../components/StatusSearchBar';
import { DateCell, MoneyCell } from '../../../components/TableCells';
import { useToday } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { useStatusSearch } from '../../../lib/status-search';
import { INVOICES_PAGE, useInvoices } from '../api/use-invoices';

const FILTERS: InvoiceStatus[] = ['open', 'paid', 'uncollectible', 'void'];

/** Every invoice, newest first: filter by status, search by number or customer. */
export function InvoicesPage({ newInvoice }: { newInvoice?: ReactNode } = {}) {
  const money = useMoney();
  const today = useToday();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // Other pages link to a status (the dashboard's failed payments: ?status=open).
  const view = useStatusSearch<InvoiceStatus>(FILTERS.find((s) => s === params.get('status')) ?? 'all');
  const list = useInvoices(view.filter);
  const total = list.data?.total ?? 0;

  return (
    <>
      <PageHeader title="Invoices" description="Issued by billing runs on the first day of each period, or by hand; numbered in order." actions={newInvoice} />
      <Stack gap="sm">
        <StatusSearchBar view={view} statuses={FILTERS} labels={INVOICE_STATUS_LABELS} searchLabel="Search invoices" searchPlaceholder="Number or customer" />

        <ListStates
          query={list}
          what="invoices"
          isEmpty={total === 0}
          empty={
            <EmptyPanel
              icon={<IconFileInvoice size={26} />}
              title={view.narrowed ? 'No invoices match' : 'No invoices yet'}
              description={view.narrowed ? 'Try another status or search.' : 'Billing runs issue an invoice for every subscription period that has started. Run billing from the top bar.'}
            />
          }
        >
          <TableCard
            minWidth={820}
            highlightOnHover
            stale={list.isPlaceholderData}
            columns={['Number', 'Customer', 'Issued', 'Due', { label: 'Total', align: 'right' }, { label: 'Amount due', align: 'right' }, 'Status']}
          >
            {list.data?.rows.map((inv) => {
              const overdue = inv.status === 'open' && inv.amountDue > 0 && inv.dueDate < today;
              return (
                <Table.Tr key={inv.id} style={{ cursor: 'pointer' }} onClick={() => void navigate(`/invoices/${inv.id}`)} data-testid={`invoice-row-${inv.number}`}>
                  <Table.Td>
                    <Anchor component={Link} to={`/invoices/${inv.id}`} size="sm" fw={600} onClick={(e) => e.stopPropagation()}>
                      {inv.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{inv.customerName}</Text>
                  </Table.Td>
                  <DateCell date={inv.issueDate} />
                  <Table.Td>
                    <Text size="sm" c={overdue ? 'red' : undefined}>
                      <DateText date={inv.dueDate} />
                      {overdue ? ' · overdue' : ''}
                    </Text>
                  </Table.Td>
                  <MoneyCell amount={inv.total} />
                  <Table.Td ta="right">
                    <Text size="sm" fw={inv.amountDue > 0 ? 600 : 400} c={inv.amountDue > 0 ? undefined : 'dimmed'}>
                      {money.format(inv.amountDue)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <InvoiceStatusBadge status={inv.status} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </TableCard>
        </ListStates>
        <Pager total={total} pageSize={INVOICES_PAGE} page={view.page} onPageChange={view.setPage} what="invoices" />
      </Stack>
    </>
  );
}
