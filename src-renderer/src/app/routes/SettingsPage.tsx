import { Alert, Stack, Tabs, Title } from '@mantine/core';
import { IconBell, IconBuildingStore, IconCloud, IconDatabase, IconHistory, IconKey, IconLock, IconMail, IconUserShield, IconUsers } from '@tabler/icons-react';
import { Navigate, useNavigate, useParams } from 'react-router';
import type { BusinessSummary } from '@shared/contract/business';
import { PageHeader } from '../../components/PageHeader';
import { useLogout } from '../../features/account/api/use-logout';
import { RecoveryKeyCard } from '../../features/account/components/RecoveryKeyCard';
import { TwoFactorCard } from '../../features/account/components/TwoFactorCard';
import { ApiKeysPanel } from '../../features/api-keys/components/ApiKeysPanel';
import { LicensePublicKeyCard } from '../../features/api-keys/components/LicensePublicKeyCard';
import { AuditLogPanel } from '../../features/audit/components/AuditLogPanel';
import { BusinessProfileForm } from '../../features/business-settings/components/BusinessProfileForm';
import { AccountantExportCard } from '../../features/data/components/AccountantExportCard';
import { DataPanel } from '../../features/data/components/DataPanel';
import { EmailSettingsPanel } from '../../features/email/components/EmailSettingsPanel';
import { RemindersPanel } from '../../features/email/components/RemindersPanel';
import { SyncPanel } from '../../features/sync/components/SyncPanel';
import { TwoFactorRequirementCard } from '../../features/users/components/TwoFactorRequirementCard';
import { UsersPanel } from '../../features/users/components/UsersPanel';
import { leaveSession, useCan, useSession } from '../../lib/auth';

const TABS = ['business', 'account', 'users', 'email', 'reminders', 'audit', 'data', 'sync', 'api-keys'] as const;
type SettingsTab = (typeof TABS)[number];
const isTab = (value: string | undefined): value is SettingsTab => TABS.includes(value as SettingsTab);

/** Settings composes six features (business profile, users, audit log, data, sync, API keys); owners only, but for the accountant's export and sync's status. */
export function SettingsPage() {
  const isOwner = useCan('owner');
  const { business } = useSession();
  const { tab } = useParams();
  const navigate = useNavigate();
  const logout = useLogout();
  // A restored business is another business: opening it logs this window out and lands on its login.
  const openRestored = (restored: BusinessSummary) => logout.mutate({}, { onSettled: () => leaveSession(`/start/login/${restored.id}`) });

  if (!isOwner) {
    return (
      <>
        <PageHeader title="Settings" />
        <Stack gap="md" maw={860}>
          <Alert icon={<IconLock size={18} />} variant="light" title="Only the owner can change settings" maw={640}>
            Business settings and user accounts of {business.name} are managed by its owner. You can change your own password from
            the menu at the top right.
          </Alert>
          <TwoFactorCard />
          <AccountantExportCard />
          <div id="sync">
            <Title order={3} mb="sm">
              Sync
            </Title>
            <SyncPanel isOwner={false} businessName={business.name} />
          </div>
        </Stack>
      </>
    );
  }
  if (!isTab(tab)) return <Navigate to="/settings/business" replace />;

  return (
    <>
      <PageHeader title="Settings" description={`Everything about ${business.name}: its profile, who can log in, a record of every change, its data, sync with other PCs, and keys for the API.`} />
      {/* Tabs a little narrower than Mantine's default, so the nine fit on one row at 1280 px. */}
      <Tabs
        value={tab}
        onChange={(next) => void navigate(`/settings/${next ?? 'business'}`)}
        keepMounted={false}
        styles={{ tab: { paddingInline: 'var(--mantine-spacing-sm)' } }}
      >
        <Tabs.List mb="lg">
          <Tabs.Tab value="business" leftSection={<IconBuildingStore size={16} />}>
            Business
          </Tabs.Tab>
          <Tabs.Tab value="account" leftSection={<IconUserShield size={16} />}>
            Account
          </Tabs.Tab>
          <Tabs.Tab value="users" leftSection={<IconUsers size={16} />}>
            Users
          </Tabs.Tab>
          <Tabs.Tab value="email" leftSection={<IconMail size={16} />}>
            Email
          </Tabs.Tab>
          <Tabs.Tab value="reminders" leftSection={<IconBell size={16} />}>
            Reminders
          </Tabs.Tab>
          <Tabs.Tab value="audit" leftSection={<IconHistory size={16} />}>
            Audit log
          </Tabs.Tab>
          <Tabs.Tab value="data" leftSection={<IconDatabase size={16} />}>
            Data
          </Tabs.Tab>
          <Tabs.Tab value="sync" leftSection={<IconCloud size={16} />}>
            Sync
          </Tabs.Tab>
          <Tabs.Tab value="api-keys" leftSection={<IconKey size={16} />}>
            API keys
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="business">
          <BusinessProfileForm />
        </Tabs.Panel>
        <Tabs.Panel value="account">
          <TwoFactorCard />
        </Tabs.Panel>
        <Tabs.Panel value="users">
          <Stack gap="xl">
            <UsersPanel />
            <TwoFactorRequirementCard />
            <RecoveryKeyCard />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="email">
          <EmailSettingsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="reminders">
          <RemindersPanel />
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditLogPanel />
        </Tabs.Panel>
        <Tabs.Panel value="data">
          <DataPanel onOpenRestored={openRestored} />
        </Tabs.Panel>
        <Tabs.Panel value="sync">
          <SyncPanel isOwner businessName={business.name} />
        </Tabs.Panel>
        <Tabs.Panel value="api-keys">
          <Stack gap="xl">
            <ApiKeysPanel />
            <LicensePublicKeyCard />
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
