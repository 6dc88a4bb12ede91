import { Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { User } from '@shared/contract/users';
import { ConfirmDeleteModal } from '../../../components/ConfirmDeleteModal';
import { useDeleteUser } from '../api/use-delete-user';

export function DeleteUserModal({ user, onClose }: { user: User; onClose: () => void }) {
  const deleteUser = useDeleteUser();
  const confirm = async () => {
    await deleteUser.mutateAsync({ id: user.id });
    notifications.show({ color: 'green', title: 'User deleted', message: `${user.name} can no longer log in.` });
    onClose();
  };

  return (
    <ConfirmDeleteModal title={`Delete ${user.name}?`} confirmLabel="Delete user" onConfirm={confirm} pending={deleteUser.isPending} onClose={onClose} centered>
      <Text size="sm">
        {user.name} ({user.email}) will no longer be able to log in. What they did stays in the audit log. This cannot be undone.
      </Text>
      {user.active && (
        <Text size="sm" c="dimmed">
          To keep the account for later, deactivate it instead.
        </Text>
      )}
    </ConfirmDeleteModal>
  );
}
