import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { User } from '../../../../../src-shared/contract/users';
import { FormAlert } from '../../../components/FormAlert';
import { placeServerError } from '../../../lib/form-errors';
import { useDeleteUser } from '../api/use-delete-user';

export function DeleteUserModal({ user, onClose }: { user: User; onClose: () => void }) {
  const deleteUser = useDeleteUser();
  const [error, setError] = useState<string | null>(null);

  const confirm = () =>
    deleteUser.mutate(
      { id: user.id },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', title: 'User deleted', message: `${user.name} can no longer log in.` });
          onClose();
        },
        onError: (e) => setError(placeServerError(e, []).message),
      },
    );

  return (
    <Modal opened onClose={onClose} title={`Delete ${user.name}?`} centered>
      <Stack gap="sm">
        <Text size="sm">
          {user.name} ({user.email}) will no longer be able to log in. What they did stays in the audit log. This cannot be undone.
        </Text>
        {user.active && (
          <Text size="sm" c="dimmed">
            To keep the account for later, deactivate it instead.
          </Text>
        )}
        <FormAlert message={error} />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={confirm} loading={deleteUser.isPending}>
            Delete user
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
