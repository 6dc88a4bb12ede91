import { Button, Group, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { User } from '@shared/contract/users';
import { ListStates } from '../../../components/ListStates';
import { RowTitle } from '../../../components/RowTitle';
import { actionsColumn, TableCard } from '../../../components/ScrollTable';
import { useSession } from '../../../lib/auth';
import { formatDateTime } from '../../../lib/format';
import { useUsers } from '../api/use-users';
import { AddUserModal } from './AddUserModal';
import { ChangeRoleModal } from './ChangeRoleModal';
import { DeleteUserModal } from './DeleteUserModal';
import { ResetPasswordModal } from './ResetPasswordModal';
import { RoleBadge } from './RoleBadge';
import { TwoFactorBadge } from './TwoFactorBadge';
import { UserActionsMenu, type UserDialog } from './UserActionsMenu';
import { UserStatusBadge } from './UserStatusBadge';

/** Settings → Users: who may log in to this business, and with which role (owner only). */
export function UsersPanel() {
  const session = useSession();
  const users = useUsers();
  const [adding, addModal] = useDisclosure(false);
  const [dialog, setDialog] = useState<{ kind: UserDialog; user: User } | null>(null);
  const closeDialog = () => setDialog(null);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Text fw={600}>People who can log in to {session.business.name}</Text>
          <Text size="sm" c="dimmed">
            Staff do the day-to-day work; viewers can only look. Only owners see this page.
          </Text>
        </div>
        <Button leftSection={<IconUserPlus size={16} />} onClick={addModal.open}>
          Add user
        </Button>
      </Group>

      <ListStates query={users} what="users">
        <TableCard
          minWidth={860}
          highlightOnHover
          columns={['Name', 'Role', 'Status', 'Two-factor', 'Last login', actionsColumn()]}
        >
          {users.data?.map((user) => {
            const isSelf = user.id === session.user.id;
            return (
              <Table.Tr key={user.id} data-testid={`user-row-${user.email}`}>
                <Table.Td>
                  <RowTitle title={user.name} tag={isSelf && 'You'} />
                  <Text size="xs" c="dimmed">
                    {user.email}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <RoleBadge role={user.role} />
                </Table.Td>
                <Table.Td>
                  <UserStatusBadge user={user} />
                </Table.Td>
                <Table.Td>
                  <TwoFactorBadge twoFactor={user.twoFactor} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={user.lastLoginAt ? undefined : 'dimmed'}>
                    {user.lastLoginAt ? formatDateTime(user.lastLoginAt) : 'Never'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <UserActionsMenu user={user} isSelf={isSelf} onOpen={(kind) => setDialog({ kind, user })} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </TableCard>
      </ListStates>

      <AddUserModal opened={adding} onClose={addModal.close} />
      {dialog?.kind === 'role' && <ChangeRoleModal key={dialog.user.id} user={dialog.user} onClose={closeDialog} />}
      {dialog?.kind === 'reset' && <ResetPasswordModal key={dialog.user.id} user={dialog.user} onClose={closeDialog} />}
      {dialog?.kind === 'delete' && <DeleteUserModal key={dialog.user.id} user={dialog.user} onClose={closeDialog} />}
    </Stack>
  );
}
