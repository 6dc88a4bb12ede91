import { Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Plan } from '@shared/domain/billing';
import { ConfirmDeleteModal } from '../../../components/ConfirmDeleteModal';
import { useDeletePlan } from '../api/use-delete-plan';

export function DeletePlanModal({ plan, onClose }: { plan: Plan; onClose: () => void }) {
  const remove = useDeletePlan();
  const deletePlan = async () => {
    await remove.mutateAsync({ id: plan.id });
    notifications.show({ color: 'green', title: 'Plan deleted', message: `${plan.name} is gone.` });
    onClose();
  };
  return (
    <ConfirmDeleteModal title={`Delete ${plan.name}?`} confirmLabel="Delete plan" onConfirm={deletePlan} pending={remove.isPending} onClose={onClose}>
      <Text size="sm">Nobody ever subscribed to {plan.name}, so it can be deleted for good. This cannot be undone.</Text>
    </ConfirmDeleteModal>
  );
}
