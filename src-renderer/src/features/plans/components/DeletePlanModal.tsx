import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Plan } from '../../../../../src-shared/domain/billing';
import { FormAlert } from '../../../components/FormAlert';
import { placeServerError } from '../../../lib/form-errors';
import { useDeletePlan } from '../api/use-delete-plan';

export function DeletePlanModal({ plan, onClose }: { plan: Plan; onClose: () => void }) {
  const remove = useDeletePlan();
  const [error, setError] = useState<string | null>(null);
  const confirm = () =>
    remove.mutate(
      { id: plan.id },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', title: 'Plan deleted', message: `${plan.name} is gone.` });
          onClose();
        },
        onError: (e) => setError(placeServerError(e, []).message),
      },
    );
  return (
    <Modal opened onClose={onClose} title={`Delete ${plan.name}?`}>
      <Stack gap="sm">
        <Text size="sm">Nobody ever subscribed to {plan.name}, so it can be deleted for good. This cannot be undone.</Text>
        <FormAlert message={error} />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={confirm} loading={remove.isPending}>
            Delete plan
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
