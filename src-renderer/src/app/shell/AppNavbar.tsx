import { AppShell, NavLink, ScrollArea, Tooltip, useMantineTheme } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { roleAtLeast } from '@shared/domain/roles';
import { useSession } from '../../lib/auth';
import classes from './AppLayout.module.css';
import { MAIN_NAV, SETTINGS_NAV, type NavItem } from './nav-items';

/** Between the burger (below sm) and the full sidebar (md and up) the navigation is a rail of icons. */
function useRail(): boolean {
  const { breakpoints } = useMantineTheme();
  return useMediaQuery(`(min-width: ${breakpoints.sm}) and (not (min-width: ${breakpoints.md}))`, false, { getInitialValueInEffect: false });
}

export function AppNavbar({ onNavigate }: { onNavigate: () => void }) {
  const { user } = useSession();
  const rail = useRail();
  const visible = (item: NavItem) => roleAtLeast(user.role, item.role);
  return (
    <>
      <AppShell.Section grow component={ScrollArea} scrollbars="y">
        {MAIN_NAV.filter(visible).map((item) => (
          <NavItemLink key={item.path} item={item} rail={rail} onNavigate={onNavigate} />
        ))}
      </AppShell.Section>
      {visible(SETTINGS_NAV) && (
        <AppShell.Section pt="sm" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
          <NavItemLink item={SETTINGS_NAV} rail={rail} onNavigate={onNavigate} />
        </AppShell.Section>
      )}
    </>
  );
}

/** How long the pointer rests on a rail icon before its name shows. */
const TOOLTIP_DELAY_MS = 150;

/**
 * The rail icon's name, shown while the pointer rests on it (or the keyboard focuses it), and
 * closed by a click: the pointer is still on the icon then, but the page it names is open.
 * Controlled, since Mantine's tooltip only closes once the pointer leaves.
 */
function useRailTooltip() {
  const [opened, setOpened] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const close = () => {
    clearTimeout(timer.current);
    setOpened(false);
  };
  return {
    opened,
    close,
    handlers: {
      onMouseEnter: () => {
        clearTimeout(timer.current);
        timer.current = setTimeout(() => setOpened(true), TOOLTIP_DELAY_MS);
      },
      onMouseLeave: close,
      onFocus: (event: { currentTarget: Element }) => {
        if (event.currentTarget.matches(':focus-visible')) setOpened(true);
      },
      onBlur: close,
    },
  };
}

function NavItemLink({ item, rail, onNavigate }: { item: NavItem; rail: boolean; onNavigate: () => void }) {
  const { pathname } = useLocation();
  const active = pathname === item.path || pathname.startsWith(`${item.path}/`);
  const tooltip = useRailTooltip();
  return (
    <Tooltip label={item.label} position="right" withArrow opened={rail && tooltip.opened}>
      <NavLink
        {...tooltip.handlers}
        component={Link}
        to={item.path}
        label={rail ? undefined : item.label}
        aria-label={rail ? item.label : undefined}
        leftSection={<item.icon size={20} stroke={1.6} />}
        active={active}
        aria-current={active ? 'page' : undefined}
        onClick={() => {
          tooltip.close();
          onNavigate();
        }}
        variant="light"
        fw={500}
        className={rail ? classes.railLink : undefined}
        style={{ borderRadius: 'var(--mantine-radius-md)' }}
        mb={2}
      />
    </Tooltip>
  );
}
