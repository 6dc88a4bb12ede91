import type { ReactNode } from 'react';
import { Anchor, Group, Tabs } from '@mantine/core';
import { IconArrowLeft, IconCalendarRepeat, IconCreditCard, IconFileInvoice, IconHistory, IconId } from '@tabler/icons-react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { CountBadge } from '../../../components/CountBadge';
import { QueryError } from '../../../components/QueryError';
import { useCustomer } from '../api/use-customer';
import { CustomerBillingSummary } from './CustomerBillingSummary';
import { CustomerHeader } from './CustomerHeader';
import { CustomerNotFound } from './CustomerNotFound';
import { DetailsTab } from './tabs/DetailsTab';
import { InvoicesTab } from './tabs/InvoicesTab';
import { PaymentsTab } from './tabs/PaymentsTab';
import { SubscriptionsTab } from './tabs/SubscriptionsTab';
import { TimelineTab } from './tabs/TimelineTab';

const TABS = ['details', 'subscriptions', 'invoices', 'payments', 'timeline'] as const;
type CustomerTab = (typeof TABS)[number];
const isTab = (value: string | undefined): value is CustomerTab => TABS.includes(value as CustomerTab);

/** One customer: who they are, what they owe and pay, and everything that happened with them. */
export interface CustomerPageProps {
  /** On the invoices tab: a "New invoice" action and the customer's credit notes (another feature's, passed by the router). */
  invoicing?: { newInvoice(customer: { id: string; name: string }): ReactNode; creditNotes(customerId: string): ReactNode };
  /** On the details tab: whether campaign emails reach them (the campaigns feature's, passed by the router). */
  emailOptOut?(customerId: string): ReactNode;
  /** Under the billing summary: churn risk, lifetime value and next best products (the insights feature's, passed by the router). */
  insight?(customer: { id: string; name: string }): ReactNode;
}

export function CustomerPage({ invoicing, emailOptOut, insight }: CustomerPageProps = {}) {
  const { id = '', tab } = useParams();
  const navigate = useNavigate();
  const detail = useCustomer(id);

  if (tab !== undefined && !isTab(tab)) return <Navigate to={`/customers/${id}`} replace />;
  const current: CustomerTab = tab ?? 'details';

  const back = (
    <Anchor component={Link} to="/customers" size="sm" mb="sm" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
      <IconArrowLeft size={14} /> All customers
    </Anchor>
  );
  if (detail.isPending) return <>{back}<CenteredLoader label="Loading the customer" /></>;
  if (detail.isError) {
    return (
      <>
        {back}
        {detail.error.code === 'not_found' ? (
          <CustomerNotFound />
        ) : (
          <QueryError title="Could not load this customer" error={detail.error} onRetry={() => void detail.refetch()} />
        )}
      </>
    );
  }

  const data = detail.data;

  return (
    <>
      {back}
      <CustomerHeader detail={data} />
      <CustomerBillingSummary detail={data} />
      {insight?.({ id, name: data.customer.name })}
      <Tabs
        value={current}
        onChange={(next) => void navigate(next === 'details' || !next ? `/customers/${id}` : `/customers/${id}/${next}`, { replace: true })}
        keepMounted={false}
        mt="lg"
      >
        <Tabs.List mb="lg">
          <Tabs.Tab value="details" leftSection={<IconId size={16} />}>
            Details
          </Tabs.Tab>
          <Tabs.Tab value="subscriptions" leftSection={<IconCalendarRepeat size={16} />} rightSection={<CountBadge count={data.activeSubscriptions} label="active" />}>
            Subscriptions
          </Tabs.Tab>
          <Tabs.Tab value="invoices" leftSection={<IconFileInvoice size={16} />} rightSection={<CountBadge count={data.openInvoices} label="open" />}>
            Invoices
          </Tabs.Tab>
          <Tabs.Tab value="payments" leftSection={<IconCreditCard size={16} />}>
            Payments
          </Tabs.Tab>
          <Tabs.Tab value="timeline" leftSection={<IconHistory size={16} />}>
            Timeline
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details">
          {emailOptOut?.(id)}
          <DetailsTab customer={data.customer} />
        </Tabs.Panel>
        <Tabs.Panel value="subscriptions">
          <SubscriptionsTab customerId={id} name={data.customer.name} />
        </Tabs.Panel>
        <Tabs.Panel value="invoices">
          {invoicing && (
            <Group justify="flex-end" mb="sm">
              {invoicing.newInvoice({ id, name: data.customer.name })}
            </Group>
          )}
          <InvoicesTab customerId={id} name={data.customer.name} />
          {invoicing?.creditNotes(id)}
        </Tabs.Panel>
        <Tabs.Panel value="payments">
          <PaymentsTab customerId={id} name={data.customer.name} />
        </Tabs.Panel>
        <Tabs.Panel value="timeline">
          <TimelineTab customerId={id} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
