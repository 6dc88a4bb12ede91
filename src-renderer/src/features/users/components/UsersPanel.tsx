import { Badge, Button, Group, Paper, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { User } from '../../../../../src-shared/contract/users';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { QueryError } from '../../../components/QueryError';
import { useSession } from '../../../lib/auth';
import { formatDateTime } from '../../../lib/format';
import { useUsers } from '../api/use-users';
import { AddUserModal } from './AddUserModal';
import { ChangeRoleModal } from './ChangeRoleModal';
import { DeleteUserModal } from './DeleteUserModal';
import { ResetPasswordModal } from './ResetPasswordModal';
import { RoleBadge } from './RoleBadge';
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

      {users.isPending && <CenteredLoader label="Loading users" />}
      {users.isError && <QueryError title="Could not load the users" error={users.error} onRetry={() => void users.refetch()} />}
      {users.data && (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={760} type="native">
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Last login</Table.Th>
                  {/* relative: keeps the hidden label inside the scroll container */}
                  <Table.Th w={48} pos="relative">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.map((user) => {
                  const isSelf = user.id === session.user.id;
                  return (
                    <Table.Tr key={user.id} data-testid={`user-row-${user.email}`}>
                      <Table.Td>
                        <Group gap={8} wrap="nowrap">
                          <Text size="sm" fw={600}>
                            {user.name}
                          </Text>
                          {isSelf && (
                            <Badge size="xs" variant="outline" color="gray">
                              You
                            </Badge>
                          )}
                        </Group>
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
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}

      <AddUserModal opened={adding} onClose={addModal.close} />
      {dialog?.kind === 'role' && <ChangeRoleModal key={dialog.user.id} user={dialog.user} onClose={closeDialog} />}
      {dialog?.kind === 'reset' && <ResetPasswordModal key={dialog.user.id} user={dialog.user} onClose={closeDialog} />}
      {dialog?.kind === 'delete' && <DeleteUserModal key={dialog.user.id} user={dialog.user} onClose={closeDialog} />}
    </Stack>
  );
}
