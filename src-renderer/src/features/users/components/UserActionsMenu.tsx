import { Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey, IconShieldLock, IconTrash, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import type { User } from '@shared/contract/users';
import { RowActionsMenu } from '../../../components/RowActionsMenu';
import { placeServerError } from '../../../lib/form-errors';
import { useDeactivateUser } from '../api/use-deactivate-user';
import { useReactivateUser } from '../api/use-reactivate-user';

export type UserDialog = 'role' | 'reset' | 'delete';

interface UserActionsMenuProps {
  user: User;
  isSelf: boolean;
  onOpen: (dialog: UserDialog) => void;
}

const failed = (title: string) => (error: unknown) =>
  notifications.show({ color: 'red', title, message: placeServerError(error, []).message });

/** The per-row menu; you cannot deactivate or delete yourself (main refuses it too). */
export function UserActionsMenu({ user, isSelf, onOpen }: UserActionsMenuProps) {
  const deactivate = useDeactivateUser();
  const reactivate = useReactivateUser();

  const setActive = () => {
    if (user.active) {
      deactivate.mutate(
        { id: user.id },
        {
          onSuccess: () => notifications.show({ title: 'User deactivated', message: `${user.name} can no longer log in.` }),
          onError: failed(`Could not deactivate ${user.name}`),
        },
      );
    } else {
      reactivate.mutate(
        { id: user.id },
        {
          onSuccess: () => notifications.show({ color: 'green', title: 'User reactivated', message: `${user.name} can log in again.` }),
          onError: failed(`Could not reactivate ${user.name}`),
        },
      );
    }
  };

  return (
    <RowActionsMenu name={user.name} width={220}>
      <Menu.Item leftSection={<IconShieldLock size={16} />} onClick={() => onOpen('role')}>
        Change role
      </Menu.Item>
      <Menu.Item leftSection={<IconKey size={16} />} onClick={() => onOpen('reset')}>
        Reset password
      </Menu.Item>
      {!isSelf && (
        <>
          <Menu.Item
            leftSection={user.active ? <IconUserOff size={16} /> : <IconUserCheck size={16} />}
            onClick={setActive}
          >
            {user.active ? 'Deactivate' : 'Reactivate'}
          </Menu.Item>
          <Menu.Divider />
          <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => onOpen('delete')}>
            Delete
          </Menu.Item>
        </>
      )}
    </RowActionsMenu>
  );
}
