import { IconCreditCard } from '@tabler/icons-react';
import { PlannedPage } from '../../../components/PlannedPage';

export function PaymentsPage() {
  return (
    <PlannedPage
      title="Payments"
      description="Money received and refunded."
      icon={<IconCreditCard size={28} />}
      emptyTitle="No payments yet"
      emptyText="This is where card payments, cash and bank transfers will be recorded, along with failed charges and refunds."
    />
  );
}
