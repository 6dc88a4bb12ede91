import { IconPackage } from '@tabler/icons-react';
import { PlannedPage } from '../../../components/PlannedPage';

export function PlansPage() {
  return (
    <PlannedPage
      title="Plans"
      description="What you sell, and how often you charge for it."
      icon={<IconPackage size={28} />}
      emptyTitle="No plans yet"
      emptyText="This is where you will set up the plans customers subscribe to, with their price, billing interval, trial days and features."
    />
  );
}
