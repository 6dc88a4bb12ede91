import { REPORT_KINDS, type ReportKind } from '@shared/contract/reports';

/** How a report is dated: records in a range, months of a range, or one day. */
export type RangeMode = 'records' | 'months' | 'as-of';

export interface ReportKindInfo {
  kind: ReportKind;
  label: string;
  /** One line on what it holds and how its range selects. */
  description: string;
  mode: RangeMode;
}

export const REPORTS: Record<ReportKind, ReportKindInfo> = {
  revenue: { kind: 'revenue', label: 'Revenue by month', mode: 'months', description: 'Payments received and refunds given each month, and the net revenue they leave.' },
  'mrr-movements': {
    kind: 'mrr-movements',
    label: 'MRR movements by month',
    mode: 'months',
    description: 'MRR at the start and end of each month, what moved it (new, reactivation, expansion, contraction, churn) and the customer churn rate.',
  },
  'mrr-movements-by-customer': {
    kind: 'mrr-movements-by-customer',
    label: 'MRR movements by customer',
    mode: 'months',
    description: 'Each customer whose MRR changed in each month: who started, came back, upgraded, downgraded or left, and by how much.',
  },
  'ar-aging': {
    kind: 'ar-aging',
    label: 'Unpaid invoices by age (AR aging)',
    mode: 'as-of',
    description: 'Every invoice that was unpaid on the day, with what was still owed in the column of how late it was.',
  },
  customers: { kind: 'customers', label: 'Customers', mode: 'records', description: 'Your customers with what they have paid, what they owe and their credit, by the day they were added.' },
  subscriptions: { kind: 'subscriptions', label: 'Subscriptions', mode: 'records', description: 'Subscriptions with their plan, status, amount and MRR, by the day they started.' },
  invoices: { kind: 'invoices', label: 'Invoices', mode: 'records', description: 'Invoices with their totals, discounts, tax, what was paid and what is due, by issue date.' },
  payments: { kind: 'payments', label: 'Payments and refunds', mode: 'records', description: 'Every payment received and every refund given, by the day it happened.' },
  sales: { kind: 'sales', label: 'One-off sales', mode: 'records', description: 'Products sold outside subscriptions, by the day they were sold.' },
};

/** The kinds in the order the picker lists them: the figures first, then the records. */
export const KIND_ORDER: ReportKind[] = ['revenue', 'mrr-movements', 'mrr-movements-by-customer', 'ar-aging', 'customers', 'subscriptions', 'invoices', 'payments', 'sales'];

export function isReportKind(value: string | null): value is ReportKind {
  return (REPORT_KINDS as readonly string[]).includes(value ?? '');
}
