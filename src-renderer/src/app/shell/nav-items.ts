import {
  IconCalendarRepeat,
  IconChartBar,
  IconCreditCard,
  IconFileInvoice,
  IconLayoutDashboard,
  IconPackage,
  IconReceipt,
  IconSettings,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import type { Role } from '../../../../src-shared/domain/roles';

export interface NavItem {
  label: string;
  path: string;
  icon: Icon;
  /** The lowest role that sees the item. */
  role: Role;
}

export const MAIN_NAV: NavItem[] = [
  { label: 'Dashboard', path: '/dashboard', icon: IconLayoutDashboard, role: 'viewer' },
  { label: 'Customers', path: '/customers', icon: IconUsers, role: 'viewer' },
  { label: 'Plans', path: '/plans', icon: IconPackage, role: 'viewer' },
  { label: 'Subscriptions', path: '/subscriptions', icon: IconCalendarRepeat, role: 'viewer' },
  { label: 'Invoices', path: '/invoices', icon: IconFileInvoice, role: 'viewer' },
  { label: 'Payments', path: '/payments', icon: IconCreditCard, role: 'viewer' },
  { label: 'Billing', path: '/billing', icon: IconReceipt, role: 'viewer' },
  { label: 'Reports', path: '/reports', icon: IconChartBar, role: 'viewer' },
];

/** Settings are the owner's: staff and viewers are not offered them. */
export const SETTINGS_NAV: NavItem = { label: 'Settings', path: '/settings', icon: IconSettings, role: 'owner' };
