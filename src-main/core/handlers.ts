import { apiKeysHandlers } from './api-keys/api-keys-handlers';
import { auditHandlers } from './audit/audit-handlers';
import { authHandlers } from './auth/auth-handlers';
import { businessHandlers } from './business/business-handlers';
import { backupHandlers } from './backup/backup-handlers';
import { billingHandlers } from './billing/billing-handlers';
import { campaignsHandlers } from './campaigns/campaigns-handlers';
import { catalogHandlers } from './billing/catalog-handlers';
import { subscriptionsHandlers } from './billing/subscriptions-handlers';
import { customerViewsHandlers } from './customers/customer-views';
import { customersHandlers } from './customers/customers-handlers';
import { emailHandlers } from './email/email-handlers';
import type { AppHandlers } from './define-handlers';
import { insightsHandlers } from './insights/insights-handlers';
import { insightsListsHandlers } from './insights/export-handlers';
import { salesInsightsHandlers } from './insights/sales-insights-handlers';
import { summaryHandlers } from './insights/summary-handlers';
import { invoicingHandlers } from './invoicing/invoicing-handlers';
import { metricsHandlers } from './metrics/metrics-handlers';
import { prefsHandlers } from './prefs/prefs-handlers';
import { productsHandlers } from './products/products-handlers';
import { reportsHandlers } from './reports/reports-handlers';
import { salesHandlers } from './sales/sales-handlers';
import { searchHandlers } from './search/search-handlers';
import { syncHandlers } from './sync-client/sync-handlers';
import { syncAutoHandlers } from './sync-client/auto-sync-handlers';
import { usersHandlers } from './users/users-handlers';

/** Every contract method's handler; a missing or extra one is a type error. */
export const handlers = {
  ...authHandlers,
  ...businessHandlers,
  ...usersHandlers,
  ...customersHandlers,
  ...customerViewsHandlers,
  ...catalogHandlers,
  ...productsHandlers,
  ...subscriptionsHandlers,
  ...billingHandlers,
  ...invoicingHandlers,
  ...metricsHandlers,
  ...backupHandlers,
  ...auditHandlers,
  ...prefsHandlers,
  ...reportsHandlers,
  ...searchHandlers,
  ...syncHandlers,
  ...syncAutoHandlers,
  ...apiKeysHandlers,
  ...emailHandlers,
  ...salesHandlers,
  ...campaignsHandlers,
  ...insightsHandlers,
  ...insightsListsHandlers,
  ...salesInsightsHandlers,
  ...summaryHandlers,
} satisfies AppHandlers;
