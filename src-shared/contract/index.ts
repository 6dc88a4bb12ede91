import type { z } from 'zod';
import { apiKeysContract } from './api-keys';
import { auditContract } from './audit';
import { authContract } from './auth';
import { backupContract } from './backup';
import { billingContract } from './billing';
import { businessContract } from './business';
import { campaignsContract } from './campaigns';
import { catalogContract } from './catalog';
import { customerViewsContract } from './customer-views';
import { customersContract } from './customers';
import { emailContract } from './email';
import { insightsContract } from './insights';
import { insightsListsContract } from './insights-lists';
import { insightsSalesContract } from './insights-sales';
import { insightsSummaryContract } from './insights-summary';
import { invoicingContract } from './invoicing';
import { metricsContract } from './metrics';
import { prefsContract } from './prefs';
import { productsContract } from './products';
import { reportsContract } from './reports';
import { salesContract } from './sales';
import { searchContract } from './search';
import { syncContract } from './sync';
import { syncAutoContract } from './sync-auto';
import { usersContract } from './users';

/** The whole API between the renderer (or the CLI, or the browser host) and the core. */
export const contract = {
  ...authContract,
  ...businessContract,
  ...usersContract,
  ...customersContract,
  ...customerViewsContract,
  ...catalogContract,
  ...productsContract,
  ...billingContract,
  ...invoicingContract,
  ...metricsContract,
  ...backupContract,
  ...auditContract,
  ...prefsContract,
  ...reportsContract,
  ...searchContract,
  ...syncContract,
  ...syncAutoContract,
  ...apiKeysContract,
  ...emailContract,
  ...salesContract,
  ...campaignsContract,
  ...insightsContract,
  ...insightsSalesContract,
  ...insightsSummaryContract,
  ...insightsListsContract,
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
/** What a caller passes (before defaults are applied). */
export type Input<M extends MethodName> = z.input<Contract[M]['input']>;
/** What a handler receives (after parsing). */
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type Output<M extends MethodName> = z.output<Contract[M]['output']>;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

export * from './define';
export * from './events';
