import { AppShell, NavLink, ScrollArea } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { roleAtLeast } from '../../../../src-shared/domain/roles';
import { useSession } from '../../lib/auth';
import { MAIN_NAV, SETTINGS_NAV, type NavItem } from './nav-items';

export function AppNavbar({ onNavigate }: { onNavigate: () => void }) {
  const { user } = useSession();
  const visible = (item: NavItem) => roleAtLeast(user.role, item.role);
  return (
    <>
      <AppShell.Section grow component={ScrollArea}>
        {MAIN_NAV.filter(visible).map((item) => (
          <NavItemLink key={item.path} item={item} onNavigate={onNavigate} />
        ))}
      </AppShell.Section>
      {visible(SETTINGS_NAV) && (
        <AppShell.Section pt="sm" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
          <NavItemLink item={SETTINGS_NAV} onNavigate={onNavigate} />
        </AppShell.Section>
      )}
    </>
  );
}

function NavItemLink({ item, onNavigate }: { item: NavItem; onNavigate: () => void }) {
  const { pathname } = useLocation();
  const active = pathname === item.path || pathname.startsWith(`${item.path}/`);
  return (
    <NavLink
      component={Link}
      to={item.path}
      label={item.label}
      leftSection={<item.icon size={20} stroke={1.6} />}
      active={active}
      aria-current={active ? 'page' : undefined}
      onClick={onNavigate}
      variant="light"
      fw={500}
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
      mb={2}
    />
  );
}
