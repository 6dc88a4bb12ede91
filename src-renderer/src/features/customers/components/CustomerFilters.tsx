import { Group, Select } from '@mantine/core';
import { IconCategory, IconTag } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { CustomerStatus } from '@shared/domain/customers';
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
      <FacetSelect
        label="Segment"
        icon={<IconCategory size={15} />}
        values={facets.data?.segments}
        value={filter.segment}
        onChange={(segment) => setFilter({ segment })}
        w={140}
      />
      <FacetSelect label="Tag" icon={<IconTag size={15} />} values={facets.data?.tags} value={filter.tag} onChange={(tag) => setFilter({ tag })} w={124} />
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

interface FacetSelectProps {
  label: 'Segment' | 'Tag';
  icon: ReactNode;
  /** The values in use. */
  values: string[] | undefined;
  value: string | undefined;
  onChange(value: string | undefined): void;
  w: number;
}

/** A searchable pick among the segments or tags in use, plus the one chosen (a saved view may name one nobody has any more). */
function FacetSelect({ label, icon, values = [], value, onChange, w }: FacetSelectProps) {
  return (
    <Select
      aria-label={label}
      placeholder={label}
      leftSection={icon}
      data={value && !values.includes(value) ? [...values, value] : values}
      value={value ?? null}
      onChange={(next) => onChange(next ?? undefined)}
      nothingFoundMessage={`No ${label.toLowerCase()} by that name`}
      searchable
      clearable
      w={w}
    />
  );
}
