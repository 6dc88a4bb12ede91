import {
  IconBarcode,
  IconBuildingStore,
  IconCalendarRepeat,
  IconChartBar,
  IconCreditCard,
  IconFileInvoice,
  IconLayoutDashboard,
  IconMail,
  IconPackage,
  IconReceipt,
  IconReceipt2,
  IconSettings,
  IconSpeakerphone,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import type { Role } from '@shared/domain/roles';

/** The sidebar's width from 992 px, and as a rail of icons between 768 and 992 px. */
export const NAVBAR_WIDTH = 236;
export const NAVBAR_RAIL_WIDTH = 68;

export interface NavItem {
  label: string;
  path: string;
  icon: Icon;
  /** The lowest role that sees the item. */
  role: Role;
  /** Other words the search box finds the page by. */
  keywords?: string[];
}

export const MAIN_NAV: NavItem[] = [
  { label: 'Dashboard', path: '/dashboard', icon: IconLayoutDashboard, role: 'viewer', keywords: ['Home', 'MRR', 'Revenue', 'Churn'] },
  { label: 'Sell', path: '/sell', icon: IconBuildingStore, role: 'staff', keywords: ['Point of sale', 'POS', 'Counter', 'Checkout', 'Till'] },
  { label: 'Sales', path: '/sales', icon: IconReceipt2, role: 'viewer', keywords: ['Receipts', 'Refund a sale', 'End of day', 'Z report'] },
  { label: 'Customers', path: '/customers', icon: IconUsers, role: 'viewer' },
  { label: 'Plans', path: '/plans', icon: IconPackage, role: 'viewer', keywords: ['Prices', 'Coupons'] },
  { label: 'Products', path: '/products', icon: IconBarcode, role: 'viewer', keywords: ['Stock', 'Inventory', 'SKU'] },
  { label: 'Subscriptions', path: '/subscriptions', icon: IconCalendarRepeat, role: 'viewer' },
  { label: 'Invoices', path: '/invoices', icon: IconFileInvoice, role: 'viewer' },
  { label: 'Payments', path: '/payments', icon: IconCreditCard, role: 'viewer' },
  { label: 'Outbox', path: '/outbox', icon: IconMail, role: 'viewer', keywords: ['Email', 'Reminders', 'Sent'] },
  { label: 'Campaigns', path: '/campaigns', icon: IconSpeakerphone, role: 'staff', keywords: ['Email', 'Marketing', 'Newsletter'] },
  { label: 'Billing', path: '/billing', icon: IconReceipt, role: 'viewer', keywords: ['Billing run', 'Forecast'] },
  { label: 'Reports', path: '/reports', icon: IconChartBar, role: 'viewer', keywords: ['Export', 'CSV'] },
];

/** Settings are the owner's: staff and viewers are not offered them. */
export const SETTINGS_NAV: NavItem = { label: 'Settings', path: '/settings', icon: IconSettings, role: 'owner', keywords: ['Users', 'Business', 'Backup', 'Audit log'] };
