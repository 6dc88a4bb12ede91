import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Customer } from '../../../../../src-shared/domain/customers';
import { FormAlert } from '../../../components/FormAlert';
import { placeServerError } from '../../../lib/form-errors';
import { useDeleteCustomer } from '../api/use-delete-customer';

export function DeleteCustomerModal({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const navigate = useNavigate();
  const remove = useDeleteCustomer();
  const [error, setError] = useState<string | null>(null);

  const confirm = () =>
    remove.mutate(
      { id: customer.id },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', title: 'Customer deleted', message: `${customer.name} has been removed.` });
          onClose();
          void navigate('/customers', { replace: true });
        },
        // main refuses when billing still needs them (a subscription began meanwhile): say why
        onError: (e) => setError(placeServerError(e, []).message),
      },
    );

  return (
    <Modal opened onClose={onClose} title={`Delete ${customer.name}?`}>
      <Stack gap="sm">
        <Text size="sm">
          {customer.name} ({customer.email}) and their timeline will be removed. The audit log keeps a record. This cannot be undone.
        </Text>
        {customer.status === 'active' && (
          <Text size="sm" c="dimmed">
            To keep their history, deactivate them instead.
          </Text>
        )}
        <FormAlert message={error} />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={confirm} loading={remove.isPending}>
            Delete customer
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
