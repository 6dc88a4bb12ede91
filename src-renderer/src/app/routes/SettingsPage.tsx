import { Alert, Tabs } from '@mantine/core';
import { IconBuildingStore, IconHistory, IconLock, IconUsers } from '@tabler/icons-react';
import { Navigate, useNavigate, useParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { AuditLogPanel } from '../../features/audit/components/AuditLogPanel';
import { BusinessProfileForm } from '../../features/business-settings/components/BusinessProfileForm';
import { UsersPanel } from '../../features/users/components/UsersPanel';
import { useCan, useSession } from '../../lib/auth';

const TABS = ['business', 'users', 'audit'] as const;
type SettingsTab = (typeof TABS)[number];
const isTab = (value: string | undefined): value is SettingsTab => TABS.includes(value as SettingsTab);

/** Settings composes three features (business profile, users, audit log); owners only. */
export function SettingsPage() {
  const isOwner = useCan('owner');
  const { business } = useSession();
  const { tab } = useParams();
  const navigate = useNavigate();

  if (!isOwner) {
    return (
      <>
        <PageHeader title="Settings" />
        <Alert icon={<IconLock size={18} />} variant="light" title="Only the owner can change settings" maw={640}>
          Business settings and user accounts of {business.name} are managed by its owner. You can change your own password from
          the menu at the top right.
        </Alert>
      </>
    );
  }
  if (!isTab(tab)) return <Navigate to="/settings/business" replace />;

  return (
    <>
      <PageHeader title="Settings" description={`Everything about ${business.name}: its profile, who can log in, and a record of every change.`} />
      <Tabs value={tab} onChange={(next) => void navigate(`/settings/${next ?? 'business'}`)} keepMounted={false}>
        <Tabs.List mb="lg">
          <Tabs.Tab value="business" leftSection={<IconBuildingStore size={16} />}>
            Business
          </Tabs.Tab>
          <Tabs.Tab value="users" leftSection={<IconUsers size={16} />}>
            Users
          </Tabs.Tab>
          <Tabs.Tab value="audit" leftSection={<IconHistory size={16} />}>
            Audit log
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="business">
          <BusinessProfileForm />
        </Tabs.Panel>
        <Tabs.Panel value="users">
          <UsersPanel />
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditLogPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
