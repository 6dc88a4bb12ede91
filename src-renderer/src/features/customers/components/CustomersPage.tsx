import { IconUsers } from '@tabler/icons-react';
import { PlannedPage } from '../../../components/PlannedPage';

export function CustomersPage() {
  return (
    <PlannedPage
      title="Customers"
      description="The people and companies you bill."
      icon={<IconUsers size={28} />}
      emptyTitle="No customers yet"
      emptyText="This is where you will keep your customers, with their contact details, subscriptions, invoices, payments and history."
    />
  );
}
