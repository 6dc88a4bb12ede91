import { Button, Tabs } from '@mantine/core';
import { IconPackage, IconPlus, IconTicket } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/PageHeader';
import { useCan } from '../../../lib/auth';
import { CouponFormModal } from './CouponFormModal';
import { CouponsPanel } from './CouponsPanel';
import { PlanFormModal } from './PlanFormModal';
import { PlansPanel } from './PlansPanel';

/** What the business sells (plans) and the discount codes it gives (coupons). */
export function PlansPage() {
  const canEdit = useCan('staff');
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'coupons' ? 'coupons' : 'plans';
  const [creating, setCreating] = useState<'plan' | 'coupon' | null>(null);

  return (
    <>
      <PageHeader
        title="Plans"
        description="What you sell on a schedule, at what price, and the discount codes you give."
        actions={
          canEdit &&
          (tab === 'plans' ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating('plan')}>
              New plan
            </Button>
          ) : (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating('coupon')}>
              New coupon
            </Button>
          ))
        }
      />
      <Tabs value={tab} onChange={(next) => setParams(next === 'coupons' ? { tab: 'coupons' } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="lg">
          <Tabs.Tab value="plans" leftSection={<IconPackage size={16} />}>
            Plans
          </Tabs.Tab>
          <Tabs.Tab value="coupons" leftSection={<IconTicket size={16} />}>
            Coupons
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="plans">
          <PlansPanel onCreate={() => setCreating('plan')} />
        </Tabs.Panel>
        <Tabs.Panel value="coupons">
          <CouponsPanel onCreate={() => setCreating('coupon')} />
        </Tabs.Panel>
      </Tabs>
      {creating === 'plan' && <PlanFormModal onClose={() => setCreating(null)} />}
      {creating === 'coupon' && <CouponFormModal onClose={() => setCreating(null)} />}
    </>
  );
}
