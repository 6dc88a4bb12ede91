import { createHashRouter, Navigate } from 'react-router';
import { BillingPage } from '../features/billing/components/BillingPage';
import { CampaignPage } from '../features/campaigns/components/CampaignPage';
import { CampaignsPage } from '../features/campaigns/components/CampaignsPage';
import { EmailOptOut } from '../features/campaigns/components/EmailOptOut';
import { CustomerPage } from '../features/customers/components/CustomerPage';
import { CustomersPage } from '../features/customers/components/CustomersPage';
import { ImportPage } from '../features/customers/components/import/ImportPage';
import { DashboardPage } from '../features/dashboard/components/DashboardPage';
import { AccountantExportButton } from '../features/data/components/AccountantExportButton';
import { RestoreBackupButton } from '../features/data/components/RestoreBackupButton';
import { OutboxPage } from '../features/email/components/OutboxPage';
import { CustomerCreditNotes } from '../features/invoicing/components/CustomerCreditNotes';
import { ExtraLines } from '../features/invoicing/components/ExtraLines';
import { InvoiceCreditNotes } from '../features/invoicing/components/InvoiceCreditNotes';
import { NewInvoiceButton } from '../features/invoicing/components/NewInvoiceButton';
import { SendInvoiceButton } from '../features/email/components/SendInvoiceButton';
import { InvoicePage } from '../features/invoices/components/InvoicePage';
import { InvoicesPage } from '../features/invoices/components/InvoicesPage';
import { PaymentsPage } from '../features/payments/components/PaymentsPage';
import { PosPage } from '../features/pos/components/PosPage';
import { DayReportPage } from '../features/sales/components/DayReportPage';
import { SalePage } from '../features/sales/components/SalePage';
import { SalesPage } from '../features/sales/components/SalesPage';
import { PlansPage } from '../features/plans/components/PlansPage';
import { ProductsPage } from '../features/products/components/ProductsPage';
import { ReportsPage } from '../features/reports/components/ReportsPage';
import { BusinessPicker } from '../features/start/components/BusinessPicker';
import { LoginScreen } from '../features/start/components/LoginScreen';
import { RecoverScreen } from '../features/start/components/RecoverScreen';
import { SignUpScreen } from '../features/start/components/SignUpScreen';
import { StartLanding } from '../features/start/components/StartLanding';
import { StartLayout } from '../features/start/components/StartLayout';
import { CustomerInsightPanel } from '../features/insights/components/CustomerInsightPanel';
import { SummaryInsights } from '../features/insights/components/SummaryInsights';
import { JoinBusinessScreen } from '../features/sync/components/JoinBusinessScreen';
import { SubscriptionPage } from '../features/subscriptions/components/SubscriptionPage';
import { SubscriptionsPage } from '../features/subscriptions/components/SubscriptionsPage';
import { RouteError } from './RouteError';
import { SettingsPage } from './routes/SettingsPage';
import { SessionGate } from './SessionGate';
import { AppLayout } from './shell/AppLayout';

// A hash router: in Electron the app loads from a custom protocol, where path URLs would hit the file handler.
export function createAppRouter() {
  return createHashRouter([
    {
      element: <SessionGate />,
      errorElement: <RouteError />,
      children: [
        {
          path: 'start',
          element: <StartLayout />,
          children: [
            { index: true, element: <StartLanding /> },
            { path: 'businesses', element: <BusinessPicker restore={<RestoreBackupButton />} /> },
            { path: 'new', element: <SignUpScreen /> },
            { path: 'join', element: <JoinBusinessScreen /> },
            { path: 'login/:businessId', element: <LoginScreen /> },
            { path: 'recover/:businessId', element: <RecoverScreen /> },
          ],
        },
        {
          element: <AppLayout />,
          children: [
            { index: true, element: <Navigate to="/dashboard" replace /> },
            { path: 'dashboard', element: <DashboardPage insights={(asOf) => <SummaryInsights asOf={asOf} />} /> },
            { path: 'sell', element: <PosPage /> },
            { path: 'sales', element: <SalesPage /> },
            { path: 'sales/day/:date?', element: <DayReportPage /> },
            { path: 'sales/:id', element: <SalePage /> },
            { path: 'customers', element: <CustomersPage /> },
            { path: 'customers/import', element: <ImportPage /> },
            {
              path: 'customers/:id/:tab?',
              element: (
                <CustomerPage
                  invoicing={{
                    newInvoice: (c) => <NewInvoiceButton customerId={c.id} customerName={c.name} />,
                    creditNotes: (customerId) => <CustomerCreditNotes customerId={customerId} />,
                  }}
                  emailOptOut={(customerId) => <EmailOptOut customerId={customerId} />}
                  insight={(c) => <CustomerInsightPanel customerId={c.id} name={c.name} />}
                />
              ),
            },
            { path: 'plans', element: <PlansPage /> },
            { path: 'products', element: <ProductsPage /> },
            { path: 'subscriptions', element: <SubscriptionsPage /> },
            { path: 'subscriptions/:id', element: <SubscriptionPage extraLines={(p) => <ExtraLines {...p} />} /> },
            { path: 'invoices', element: <InvoicesPage newInvoice={<NewInvoiceButton />} /> },
            {
              path: 'invoices/:id',
              element: (
                <InvoicePage
                  creditNotes={(invoice) => <InvoiceCreditNotes invoice={invoice} />}
                  emailButton={(inv) => <SendInvoiceButton invoiceId={inv.id} number={inv.number} />}
                />
              ),
            },
            { path: 'payments', element: <PaymentsPage /> },
            { path: 'outbox', element: <OutboxPage /> },
            { path: 'campaigns', element: <CampaignsPage /> },
            { path: 'campaigns/:id', element: <CampaignPage /> },
            { path: 'billing', element: <BillingPage /> },
            { path: 'reports', element: <ReportsPage accountantExport={<AccountantExportButton />} /> },
            { path: 'settings/:tab?', element: <SettingsPage /> },
            { path: '*', element: <Navigate to="/dashboard" replace /> },
          ],
        },
      ],
    },
  ]);
}
