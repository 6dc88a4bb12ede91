import { Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router';
import type { Customer } from '@shared/domain/customers';
import { ConfirmDeleteModal } from '../../../components/ConfirmDeleteModal';
import { useDeleteCustomer } from '../api/use-delete-customer';

export function DeleteCustomerModal({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const navigate = useNavigate();
  const remove = useDeleteCustomer();

  // main refuses when billing still needs them (a subscription began meanwhile): the modal says why
  const confirm = async () => {
    await remove.mutateAsync({ id: customer.id });
    notifications.show({ color: 'green', title: 'Customer deleted', message: `${customer.name} has been removed.` });
    onClose();
    void navigate('/customers', { replace: true });
  };

  return (
    <ConfirmDeleteModal title={`Delete ${customer.name}?`} confirmLabel="Delete customer" onConfirm={confirm} pending={remove.isPending} onClose={onClose}>
      <Text size="sm">
        {customer.name} ({customer.email}) and their timeline will be removed. The audit log keeps a record. This cannot be undone.
      </Text>
      {customer.status === 'active' && (
        <Text size="sm" c="dimmed">
          To keep their history, deactivate them instead.
        </Text>
      )}
    </ConfirmDeleteModal>
  );
}
