import { IconChartBar } from '@tabler/icons-react';
import { PlannedPage } from '../../../components/PlannedPage';

export function ReportsPage() {
  return (
    <PlannedPage
      title="Reports"
      description="Your revenue, growth and churn over time."
      icon={<IconChartBar size={28} />}
      emptyTitle="No reports yet"
      emptyText="This is where you will find revenue, growth, churn and unpaid-invoice reports, each ready to export as a CSV file."
    />
  );
}
