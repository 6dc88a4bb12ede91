import { Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArchive, IconArchiveOff, IconPencil, IconTrash } from '@tabler/icons-react';
import type { Plan } from '@shared/domain/billing';
import { RowActionsMenu } from '../../../components/RowActionsMenu';
import { useCan } from '../../../lib/auth';
import { placeServerError } from '../../../lib/form-errors';
import { useArchivePlan } from '../api/use-archive-plan';
import { useUnarchivePlan } from '../api/use-unarchive-plan';

export type PlanDialog = 'edit' | 'delete';

/** Edit, archive or unarchive (staff); delete only a plan nobody ever subscribed to (owner). */
export function PlanActionsMenu({ plan, onOpen }: { plan: Plan; onOpen: (dialog: PlanDialog) => void }) {
  const isOwner = useCan('owner');
  const archive = useArchivePlan();
  const unarchive = useUnarchivePlan();
  const failed = (error: unknown) => notifications.show({ color: 'red', title: `Could not change ${plan.name}`, message: placeServerError(error, []).message });

  const toggleArchived = () => {
    if (plan.archived) {
      unarchive.mutate({ id: plan.id }, { onSuccess: () => notifications.show({ title: 'Plan restored', message: `${plan.name} can be subscribed to again.` }), onError: failed });
    } else {
      archive.mutate(
        { id: plan.id },
        {
          onSuccess: () =>
            notifications.show({ title: 'Plan archived', message: `${plan.name} is no longer offered; its current subscribers keep it.` }),
          onError: failed,
        },
      );
    }
  };

  return (
    <RowActionsMenu name={plan.name} width={230}>
      <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => onOpen('edit')}>
        Edit
      </Menu.Item>
      <Menu.Item leftSection={plan.archived ? <IconArchiveOff size={16} /> : <IconArchive size={16} />} onClick={toggleArchived}>
        {plan.archived ? 'Unarchive' : 'Archive'}
      </Menu.Item>
      {isOwner && (
        <>
          <Menu.Divider />
          <Menu.Item
            color="red"
            leftSection={<IconTrash size={16} />}
            disabled={plan.subscriptionCount > 0}
            title={plan.subscriptionCount > 0 ? 'Used by subscriptions: archive it instead' : undefined}
            onClick={() => onOpen('delete')}
          >
            {plan.subscriptionCount > 0 ? 'Delete (used: archive instead)' : 'Delete'}
          </Menu.Item>
        </>
      )}
    </RowActionsMenu>
  );
}
