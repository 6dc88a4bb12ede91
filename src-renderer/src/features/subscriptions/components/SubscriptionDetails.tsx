import { ActionIcon, CopyButton, DataList, Group, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import type { Subscription } from '@shared/domain/billing';
import { DateText, PeriodText } from '../../../components/DateText';
import { SectionCard } from '../../../components/SectionCard';
import { useDates, useToday } from '../../../lib/dates';

/** The dates that matter (spec 2, 4 and 7), and the coupon and license key. */
export function SubscriptionDetails({ subscription: s }: { subscription: Subscription }) {
  const dates = useDates();
  const today = useToday();
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
  if (s.licenseKey) {
    items.push({
      label: 'License key',
      value: (
        <>
          <Group gap={6} wrap="nowrap">
            <Text span ff="monospace" size="sm" data-testid="license-key">
              {s.licenseKey}
            </Text>
            <CopyButton value={s.licenseKey}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy the license key'} withArrow>
                  <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} size="sm" onClick={copy} aria-label="Copy the license key">
                    {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
          {s.licenseExpiresOn && (
            <Text size="xs" c={s.licenseExpiresOn > today ? 'dimmed' : 'red'} data-testid="license-expiry">
              {s.licenseExpiresOn > today ? `Expires on ${dates.day(s.licenseExpiresOn)}` : `Expired on ${dates.day(s.licenseExpiresOn)}`}
            </Text>
          )}
        </>
      ),
      testId: 'license',
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
