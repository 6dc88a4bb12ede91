import { AppShell, Box, Burger, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useMemo } from 'react';
import { Outlet } from 'react-router';
import { roleAtLeast } from '@shared/domain/roles';
import { Logo } from '../../components/Logo';
import { BillingHeaderButton } from '../../features/billing/components/BillingHeaderButton';
import { CommandPalette } from '../../features/search/components/CommandPalette';
import { SearchButton, useSearchShortcut } from '../../features/search/components/SearchButton';
import { SyncHeaderStatus } from '../../features/sync/components/SyncHeaderStatus';
import { useSession } from '../../lib/auth';
import { listenForChanges } from '../../lib/query';
import { AppNavbar } from './AppNavbar';
import classes from './AppLayout.module.css';
import { MAIN_NAV, NAVBAR_RAIL_WIDTH, NAVBAR_WIDTH, SETTINGS_NAV } from './nav-items';
import { ThemeSwitch } from './ThemeSwitch';
import { UserMenu } from './UserMenu';
import { useSessionWatch } from './use-session-watch';

/**
 * The logged-in app: header, navigation, and the current page. The navigation
 * is a full sidebar from 992 px (Mantine's md), a rail of icons with tooltips
 * from 768 px, and a menu behind the burger below that.
 */
export function AppLayout() {
  const { business, user } = useSession();
  const [navOpened, nav] = useDisclosure(false);
  const [searching, search] = useDisclosure(false);
  useSessionWatch();
  useSearchShortcut(search.toggle);
  useEffect(() => listenForChanges(), []);
  const pages = useMemo(() => [...MAIN_NAV, SETTINGS_NAV].filter((item) => roleAtLeast(user.role, item.role)), [user.role]);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: { sm: NAVBAR_RAIL_WIDTH, md: NAVBAR_WIDTH }, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="xl"
      className={classes.shell}
    >
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap" gap="md">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Open navigation" />
            <Box visibleFrom="sm" className={classes.logo}>
              <Logo withName={false} />
            </Box>
            <Text fw={650} size="lg" truncate data-testid="header-business-name">
              {business.name}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <SyncHeaderStatus />
            <SearchButton onClick={search.open} />
            <BillingHeaderButton />
            <ThemeSwitch />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" className={classes.navbar}>
        <AppNavbar onNavigate={nav.close} />
      </AppShell.Navbar>
      <AppShell.Main className={classes.main}>
        <div className={classes.page}>
          <Outlet />
        </div>
      </AppShell.Main>
      <CommandPalette opened={searching} onClose={search.close} pages={pages} />
    </AppShell>
  );
}
