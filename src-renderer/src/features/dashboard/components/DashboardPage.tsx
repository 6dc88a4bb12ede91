import { IconLayoutDashboard } from '@tabler/icons-react';
import { PlannedPage } from '../../../components/PlannedPage';

export function DashboardPage() {
  return (
    <PlannedPage
      title="Dashboard"
      description="How your business is doing at a glance."
      icon={<IconLayoutDashboard size={28} />}
      emptyTitle="Your numbers will show up here"
      emptyText="Once you have customers and subscriptions, this page will show your monthly recurring revenue, active subscribers, churn and upcoming renewals."
    />
  );
}
