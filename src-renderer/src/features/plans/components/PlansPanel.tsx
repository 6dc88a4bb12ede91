import { Badge, Button, EmptyState, Group, Paper, Stack, Switch, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconPackage, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { Plan } from '../../../../../src-shared/domain/billing';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { QueryError } from '../../../components/QueryError';
import { useCan } from '../../../lib/auth';
import { useMoney } from '../../../lib/money';
import { usePlans } from '../api/use-plans';
import { describePlanPrice, PRICING_LABELS } from '../plan-format';
import { DeletePlanModal } from './DeletePlanModal';
import { PlanActionsMenu, type PlanDialog } from './PlanActionsMenu';
import { PlanFormModal } from './PlanFormModal';

export function PlansPanel({ onCreate }: { onCreate: () => void }) {
  const canEdit = useCan('staff');
  const money = useMoney();
  const [showArchived, setShowArchived] = useState(false);
  const plans = usePlans(showArchived);
  const [dialog, setDialog] = useState<{ kind: PlanDialog; plan: Plan } | null>(null);
  const close = () => setDialog(null);

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {plans.data ? `${plans.data.length} ${plans.data.length === 1 ? 'plan' : 'plans'}${showArchived ? ', archived included' : ''}` : ''}
        </Text>
        <Switch label="Show archived" checked={showArchived} onChange={(e) => setShowArchived(e.currentTarget.checked)} />
      </Group>
      {plans.isPending && <CenteredLoader label="Loading plans" />}
      {plans.isError && <QueryError title="Could not load the plans" error={plans.error} onRetry={() => void plans.refetch()} />}
      {plans.data && plans.data.length === 0 && (
        <Paper withBorder radius="md" py={48} px="xl">
          <EmptyState
            icon={<IconPackage size={26} />}
            title={showArchived ? 'No plans at all' : 'No plans yet'}
            description="A plan is what customers subscribe to: a price, how often it is billed, and an optional trial."
            maw={520}
            mx="auto"
          >
            {canEdit && (
              <Button mt="md" leftSection={<IconPlus size={16} />} onClick={onCreate}>
                Create your first plan
              </Button>
            )}
          </EmptyState>
        </Paper>
      )}
      {plans.data && plans.data.length > 0 && (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={760} type="native">
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Plan</Table.Th>
                  <Table.Th>Price</Table.Th>
                  <Table.Th>Trial</Table.Th>
                  <Table.Th>Setup fee</Table.Th>
                  <Table.Th ta="right">Subscribers</Table.Th>
                  <Table.Th w={48} pos="relative">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {plans.data.map((plan) => (
                  <Table.Tr key={plan.id} data-testid={`plan-row-${plan.code}`} opacity={plan.archived ? 0.7 : 1}>
                    <Table.Td>
                      <Group gap={8} wrap="nowrap">
                        <Text size="sm" fw={600}>
                          {plan.name}
                        </Text>
                        {plan.archived && (
                          <Badge size="xs" variant="outline" color="gray">
                            Archived
                          </Badge>
                        )}
                      </Group>
                      <Text size="xs" c="dimmed">
                        {plan.code}
                        {plan.features.length > 0 ? ` · ${plan.features.length} ${plan.features.length === 1 ? 'feature' : 'features'}` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{describePlanPrice(plan, money.format)}</Text>
                      {plan.pricingModel !== 'flat' && (
                        <Text size="xs" c="dimmed">
                          {PRICING_LABELS[plan.pricingModel]} tiers: {plan.tiers.length}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={plan.trialDays ? undefined : 'dimmed'}>
                        {plan.trialDays ? `${plan.trialDays} ${plan.trialDays === 1 ? 'day' : 'days'}` : 'None'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={plan.setupFee ? undefined : 'dimmed'}>
                        {plan.setupFee ? money.format(plan.setupFee) : 'None'}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm" title={`${plan.subscriptionCount} ever, ${plan.activeSubscriptions} current`}>
                        {plan.activeSubscriptions}
                      </Text>
                    </Table.Td>
                    <Table.Td>{canEdit && <PlanActionsMenu plan={plan} onOpen={(kind) => setDialog({ kind, plan })} />}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {dialog?.kind === 'edit' && <PlanFormModal key={dialog.plan.id} plan={dialog.plan} onClose={close} />}
      {dialog?.kind === 'delete' && <DeletePlanModal key={dialog.plan.id} plan={dialog.plan} onClose={close} />}
    </Stack>
  );
}
