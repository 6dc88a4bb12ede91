import type { ReportKind } from '@shared/contract/reports';
import { arAgingReport } from './ar-aging-report';
import { customersReport } from './customers-report';
import { invoicesReport } from './invoices-report';
import { mrrMovementsByCustomerReport } from './mrr-by-customer-report';
import { mrrMovementsReport } from './mrr-movements-report';
import { paymentsReport } from './payments-report';
import type { Report, ReportContext } from './report';
import { revenueReport } from './revenue-report';
import { salesReport } from './sales-report';
import { subscriptionsReport } from './subscriptions-report';

/** Every kind of REPORT_KINDS; a missing one is a type error. */
const REPORTS: Record<ReportKind, (ctx: ReportContext) => Report> = {
  customers: customersReport,
  subscriptions: subscriptionsReport,
  invoices: invoicesReport,
  payments: paymentsReport,
  revenue: revenueReport,
  'mrr-movements': mrrMovementsReport,
  'mrr-movements-by-customer': mrrMovementsByCustomerReport,
  'ar-aging': arAgingReport,
  sales: salesReport,
};

export function openReport(ctx: ReportContext): Report {
  return REPORTS[ctx.kind](ctx);
}
