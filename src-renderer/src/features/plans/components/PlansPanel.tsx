import { Button, Group, Stack, Switch, Table, Text } from '@mantine/core';
import { IconPackage, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { Plan } from '@shared/domain/billing';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { ListStates } from '../../../components/ListStates';
import { RowTitle } from '../../../components/RowTitle';
import { actionsColumn, TableCard } from '../../../components/ScrollTable';
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
      <ListStates
        query={plans}
        what="plans"
        isEmpty={plans.data?.length === 0}
        empty={
          <EmptyPanel
            icon={<IconPackage size={26} />}
            title={showArchived ? 'No plans at all' : 'No plans yet'}
            description="A plan is what customers subscribe to: a price, how often it is billed, and an optional trial."
          >
            {canEdit && (
              <Button mt="md" leftSection={<IconPlus size={16} />} onClick={onCreate}>
                Create your first plan
              </Button>
            )}
          </EmptyPanel>
        }
      >
        <TableCard
          minWidth={760}
          highlightOnHover
          columns={['Plan', 'Price', 'Trial', 'Setup fee', { label: 'Subscribers', align: 'right' }, actionsColumn()]}
        >
          {plans.data?.map((plan) => (
            <Table.Tr key={plan.id} data-testid={`plan-row-${plan.code}`} opacity={plan.archived ? 0.7 : 1}>
              <Table.Td>
                <RowTitle title={plan.name} tag={plan.archived && 'Archived'} />
                <Text size="xs" c="dimmed">
                  {plan.code}
                  {plan.features.length > 0 ? ` · ${plan.features.length} ${plan.features.length === 1 ? 'feature' : 'features'}` : ''}
                  {plan.maxMachines !== null ? ` · ${plan.maxMachines} ${plan.maxMachines === 1 ? 'machine' : 'machines'} per license` : ''}
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
        </TableCard>
      </ListStates>
      {dialog?.kind === 'edit' && <PlanFormModal key={dialog.plan.id} plan={dialog.plan} onClose={close} />}
      {dialog?.kind === 'delete' && <DeletePlanModal key={dialog.plan.id} plan={dialog.plan} onClose={close} />}
    </Stack>
  );
}
