import { Avatar, Group, Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconKey, IconLogout, IconSwitchHorizontal } from '@tabler/icons-react';
import { useLogout } from '../../features/account/api/use-logout';
import { ChangePasswordModal } from '../../features/account/components/ChangePasswordModal';
import { RoleBadge } from '../../features/users/components/RoleBadge';
import { leaveSession, useSession } from '../../lib/auth';
import { initials } from '../../lib/format';

/** Who is logged in, and the ways out: change password, switch business, log out. */
export function UserMenu() {
  const { user, business } = useSession();
  const logout = useLogout();
  const [changingPassword, passwordModal] = useDisclosure(false);

  // Whatever main answers, this window forgets the session.
  const logOutTo = (startScreen: string) => logout.mutate({}, { onSettled: () => leaveSession(startScreen) });

  return (
    <>
      <Menu position="bottom-end" shadow="md" width={260} withinPortal>
        <Menu.Target>
          <UnstyledButton aria-label={`Account menu for ${user.name}`} px={6} py={4} style={{ borderRadius: 'var(--mantine-radius-md)' }}>
            <Group gap="xs" wrap="nowrap">
              <Avatar size={32} radius="xl" color="indigo" variant="light">
                {initials(user.name)}
              </Avatar>
              <Stack gap={0} visibleFrom="sm" maw={180}>
                <Text size="sm" fw={600} lh={1.2} truncate>
                  {user.name}
                </Text>
                <Text size="xs" c="dimmed" lh={1.2} truncate>
                  {user.email}
                </Text>
              </Stack>
              <IconChevronDown size={14} color="var(--mantine-color-dimmed)" />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Stack gap={4} px="sm" py="xs">
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Text size="sm" fw={600} truncate>
                {user.name}
              </Text>
              <RoleBadge role={user.role} size="sm" />
            </Group>
            <Text size="xs" c="dimmed" truncate>
              {user.email} · {business.name}
            </Text>
          </Stack>
          <Menu.Divider />
          <Menu.Item leftSection={<IconKey size={16} />} onClick={passwordModal.open}>
            Change password
          </Menu.Item>
          <Menu.Item leftSection={<IconSwitchHorizontal size={16} />} onClick={() => logOutTo('/start/businesses')}>
            Switch business
          </Menu.Item>
          <Menu.Divider />
          <Menu.Item color="red" leftSection={<IconLogout size={16} />} onClick={() => logOutTo(`/start/login/${business.id}`)}>
            Log out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ChangePasswordModal opened={changingPassword} onClose={passwordModal.close} />
    </>
  );
}
