import { Alert, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { InsightExportButton } from '../../../components/InsightExportButton';
import { useRiskSummary } from '../api/use-risk-scores';

/**
 * Above the list when it is filtered or sorted by churn risk: what the score means, or, when the
 * model is not ready, why (never an empty list that looks like "nobody is at risk").
 */
export function RiskNotice() {
  const risk = useRiskSummary();
  if (risk.ready === undefined) return null;
  if (!risk.ready) {
    return (
      <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="Churn risk is not ready yet" data-testid="risk-notice" style={{ flexShrink: 0 }}>
        {risk.reason ?? 'There is not enough history to score customers.'}
      </Alert>
    );
  }
  return (
    <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />} data-testid="risk-notice" py="xs" style={{ flexShrink: 0 }}>
      <Group justify="space-between" wrap="nowrap" gap="md">
        <Text size="sm">
          The risk score is the chance, in percent, that a customer cancels everything in the next 90 days, learnt from the customers who left
          before. {risk.bands} Customers who pay nothing today have no score.
        </Text>
        <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
          <InsightExportButton input={{ table: 'churn' }} label="Export churn risk" />
          <InsightExportButton input={{ table: 'ltv' }} label="Export lifetime value" />
        </Group>
      </Group>
    </Alert>
  );
}
