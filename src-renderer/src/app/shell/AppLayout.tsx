import { AppShell, Box, Burger, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect } from 'react';
import { Outlet } from 'react-router';
import { Logo } from '../../components/Logo';
import { BillingHeaderButton } from '../../features/billing/components/BillingHeaderButton';
import { useSession } from '../../lib/auth';
import { listenForChanges } from '../../lib/query';
import { AppNavbar } from './AppNavbar';
import classes from './AppLayout.module.css';
import { ThemeSwitch } from './ThemeSwitch';
import { UserMenu } from './UserMenu';
import { useSessionWatch } from './use-session-watch';

/** The logged-in app: header, navigation, and the current page. */
export function AppLayout() {
  const { business } = useSession();
  const [navOpened, nav] = useDisclosure(false);
  useSessionWatch();
  useEffect(() => listenForChanges(), []);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 236, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="xl"
      className={classes.shell}
    >
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Open navigation" />
            <Box visibleFrom="sm">
              <Logo withName={false} />
            </Box>
            <Text fw={650} size="lg" truncate data-testid="header-business-name">
              {business.name}
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            <BillingHeaderButton />
            <ThemeSwitch />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <AppNavbar onNavigate={nav.close} />
      </AppShell.Navbar>
      <AppShell.Main className={classes.main}>
        <div className={classes.page}>
          <Outlet />
        </div>
      </AppShell.Main>
    </AppShell>
  );
}
