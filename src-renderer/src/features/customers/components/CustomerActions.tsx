import { Button, Group, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconTrash, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { useState } from 'react';
import type { Output } from '@shared/contract';
import { useCan } from '../../../lib/auth';
import { placeServerError } from '../../../lib/form-errors';
import { useUpdateCustomer } from '../api/use-update-customer';
import { CustomerFormModal } from './CustomerFormModal';
import { DeleteCustomerModal } from './DeleteCustomerModal';

type Detail = Output<'customers.get'>;

/** Edit and (de)activate for staff and owners; delete for owners, explained when billing still needs the customer. */
export function CustomerActions({ detail }: { detail: Detail }) {
  const canEdit = useCan('staff');
  const canDelete = useCan('owner');
  const update = useUpdateCustomer();
  const [dialog, setDialog] = useState<'edit' | 'delete' | null>(null);
  const { customer } = detail;
  if (!canEdit) return null;

  const active = customer.status === 'active';
  const setStatus = () =>
    update.mutate(
      { id: customer.id, status: active ? 'inactive' : 'active' },
      {
        onSuccess: () =>
          notifications.show({
            color: active ? undefined : 'green',
            title: active ? 'Customer deactivated' : 'Customer reactivated',
            message: active ? `${customer.name} stays on file and can be reactivated any time.` : `${customer.name} is active again.`,
          }),
        onError: (error) => notifications.show({ color: 'red', title: 'Could not change the status', message: placeServerError(error, []).message }),
      },
    );

  return (
    <Group gap="sm">
      <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setDialog('edit')}>
        Edit
      </Button>
      <Button variant="default" leftSection={active ? <IconUserOff size={16} /> : <IconUserCheck size={16} />} onClick={setStatus} loading={update.isPending}>
        {active ? 'Deactivate' : 'Reactivate'}
      </Button>
      {canDelete &&
        (detail.canDelete ? (
          <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDialog('delete')}>
            Delete
          </Button>
        ) : (
          <Tooltip label={detail.deleteBlockedReason} multiline w={280} withArrow>
            {/* a disabled button fires no hover events: the wrapper carries the tooltip */}
            <span tabIndex={0} aria-label={`Delete is unavailable: ${detail.deleteBlockedReason ?? ''}`} data-testid="delete-blocked">
              <Button variant="light" color="red" leftSection={<IconTrash size={16} />} disabled style={{ pointerEvents: 'none' }}>
                Delete
              </Button>
            </span>
          </Tooltip>
        ))}
      {dialog === 'edit' && <CustomerFormModal customer={customer} onClose={() => setDialog(null)} />}
      {dialog === 'delete' && <DeleteCustomerModal customer={customer} onClose={() => setDialog(null)} />}
    </Group>
  );
}
