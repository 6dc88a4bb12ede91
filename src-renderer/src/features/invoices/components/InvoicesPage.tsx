import { IconFileInvoice } from '@tabler/icons-react';
import { PlannedPage } from '../../../components/PlannedPage';

export function InvoicesPage() {
  return (
    <PlannedPage
      title="Invoices"
      description="Bills sent to your customers."
      icon={<IconFileInvoice size={28} />}
      emptyTitle="No invoices yet"
      emptyText="This is where you will find the invoices Recurra issues on each renewal, and see which are paid, due or overdue."
    />
  );
}
