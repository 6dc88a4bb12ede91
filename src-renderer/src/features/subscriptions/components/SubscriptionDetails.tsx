import { DataList } from '@mantine/core';
import type { Subscription } from '@shared/domain/billing';
import { DateText, PeriodText } from '../../../components/DateText';
import { SectionCard } from '../../../components/SectionCard';
import { useDates } from '../../../lib/dates';

/** The dates that matter (spec 2, 4 and 7), and the coupon (the license key has its own section). */
export function SubscriptionDetails({ subscription: s }: { subscription: Subscription }) {
  const dates = useDates();
  const items: { label: string; value: React.ReactNode; testId: string }[] = [
    { label: 'Started', value: <DateText date={s.startDate} />, testId: 'started' },
  ];
  if (s.trialEnd) items.push({ label: s.status === 'trialing' ? 'Trial ends' : 'Trial ended', value: <DateText date={s.trialEnd} />, testId: 'trial-end' });
  if (s.currentPeriodStart && s.currentPeriodEnd) {
    items.push({ label: 'Current period', value: <PeriodText start={s.currentPeriodStart} end={s.currentPeriodEnd} />, testId: 'current-period' });
  }
  items.push({ label: 'Next invoice', value: <DateText date={s.nextInvoiceDate} fallback="None" />, testId: 'next-invoice' });
  if (s.cancelAt && s.status !== 'canceled') items.push({ label: 'Cancels on', value: <DateText date={s.cancelAt} />, testId: 'cancels-on' });
  if (s.canceledAt) items.push({ label: 'Canceled on', value: <DateText date={s.canceledAt} />, testId: 'canceled-on' });
  if (s.pausedAt) items.push({ label: 'Paused from', value: <DateText date={s.pausedAt} />, testId: 'paused-from' });
  if (s.resumeOn) items.push({ label: 'Resumed on', value: <DateText date={s.resumeOn} />, testId: 'resumed-on' });
  if (s.couponCode) {
    items.push({
      label: 'Coupon',
      value: `${s.couponCode}${s.couponAppliedOn ? `, applied ${dates.day(s.couponAppliedOn)}` : ''}`,
      testId: 'coupon',
    });
  }
  return (
    <SectionCard title="Dates">
      <DataList labelWidth={130} gap={10}>
        {items.map((item) => (
          <DataList.Item key={item.testId} data-testid={`sub-${item.testId}`}>
            <DataList.ItemLabel>{item.label}</DataList.ItemLabel>
            <DataList.ItemValue>{item.value}</DataList.ItemValue>
          </DataList.Item>
        ))}
      </DataList>
    </SectionCard>
  );
}
