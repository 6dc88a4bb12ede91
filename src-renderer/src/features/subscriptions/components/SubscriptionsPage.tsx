import { IconCalendarRepeat } from '@tabler/icons-react';
import { PlannedPage } from '../../../components/PlannedPage';

export function SubscriptionsPage() {
  return (
    <PlannedPage
      title="Subscriptions"
      description="Who is subscribed to which plan."
      icon={<IconCalendarRepeat size={28} />}
      emptyTitle="No subscriptions yet"
      emptyText="This is where you will see every customer's subscription, with its status and next renewal, and start, pause or cancel one."
    />
  );
}
