import { Group, Select } from '@mantine/core';
import { IconCategory, IconTag } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { CustomerStatus } from '../../../../../src-shared/domain/customers';
import { useCustomerFacets } from '../api/use-customer-facets';
import { useCustomerList } from '../stores/customer-list-store';

const STATUS = [
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Inactive' },
];
const SUBSCRIPTION = [
  { value: 'yes', label: 'Subscribed' },
  { value: 'no', label: 'Not subscribed' },
];
const INVOICES = [
  { value: 'yes', label: 'Owes money' },
  { value: 'no', label: 'Paid up' },
];

/** The values in use, plus the one chosen (a saved view may name a tag nobody has any more). */
const withChosen = (values: string[] | undefined, chosen: string | undefined) =>
  chosen && !(values ?? []).includes(chosen) ? [...(values ?? []), chosen] : (values ?? []);

const toChoice = (flag: boolean | undefined) => (flag === undefined ? null : flag ? 'yes' : 'no');
const fromChoice = (value: string | null) => (value === null ? undefined : value === 'yes');

/** Status, segment, tag and billing filters beside the search box; each narrows the results further. */
export function CustomerFilters({ children }: { children: ReactNode }) {
  const filter = useCustomerList((s) => s.filter);
  const { setFilter } = useCustomerList.getState();
  const facets = useCustomerFacets();

  return (
    <Group gap="xs" wrap="wrap" align="center">
      {children}
      <Select
        aria-label="Status"
        placeholder="Status"
        data={STATUS}
        value={filter.status ?? null}
        onChange={(value) => setFilter({ status: (value as CustomerStatus | null) ?? undefined })}
        clearable
        w={118}
      />
      <Select
        aria-label="Segment"
        placeholder="Segment"
        leftSection={<IconCategory size={15} />}
        data={withChosen(facets.data?.segments, filter.segment)}
        value={filter.segment ?? null}
        onChange={(value) => setFilter({ segment: value ?? undefined })}
        nothingFoundMessage="No segment by that name"
        searchable
        clearable
        w={140}
      />
      <Select
        aria-label="Tag"
        placeholder="Tag"
        leftSection={<IconTag size={15} />}
        data={withChosen(facets.data?.tags, filter.tag)}
        value={filter.tag ?? null}
        onChange={(value) => setFilter({ tag: value ?? undefined })}
        nothingFoundMessage="No tag by that name"
        searchable
        clearable
        w={124}
      />
      <Select
        aria-label="Subscriptions"
        placeholder="Subscription"
        data={SUBSCRIPTION}
        value={toChoice(filter.hasActiveSubscription)}
        onChange={(value) => setFilter({ hasActiveSubscription: fromChoice(value) })}
        clearable
        w={150}
      />
      <Select
        aria-label="Invoices"
        placeholder="Invoices"
        data={INVOICES}
        value={toChoice(filter.hasUnpaidInvoices)}
        onChange={(value) => setFilter({ hasUnpaidInvoices: fromChoice(value) })}
        clearable
        w={132}
      />
    </Group>
  );
}
