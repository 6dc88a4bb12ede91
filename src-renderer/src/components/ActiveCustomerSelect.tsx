import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import { useState } from 'react';
import { useRpcQuery } from '../lib/query';

interface ActiveCustomerSelectProps {
  value: string | null;
  onChange: (id: string | null) => void;
  error?: React.ReactNode;
}

/**
 * The required "Customer" field of a form that bills someone (a subscription, an invoice): an active
 * customer found by name, email or company, searched on the server so it works for any number of them.
 */
export function ActiveCustomerSelect({ value, onChange, error }: ActiveCustomerSelectProps) {
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<{ value: string; label: string } | null>(null);
  // Once a customer is picked the box shows their label; searching for that label would find nobody.
  const [debounced] = useDebouncedValue(picked && search === picked.label ? '' : search, 200);
  const options = useRpcQuery(
    'customers.list',
    { search: debounced.trim(), status: 'active', limit: 20, withTotal: false, sort: 'name', direction: 'asc' },
    { placeholderData: keepPreviousData },
  );
  const found = (options.data?.rows ?? []).map((c) => ({ value: c.id, label: `${c.name} · ${c.email}` }));
  const data = picked && !found.some((o) => o.value === picked.value) ? [picked, ...found] : found;

  return (
    <Select
      label="Customer"
      placeholder="Type a name, email or company"
      withAsterisk
      searchable
      clearable
      data={data}
      value={value}
      onChange={(id, option) => {
        setPicked(option ? { value: option.value, label: option.label } : null);
        onChange(id);
      }}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={options.isFetching ? 'Searching…' : 'No active customer by that name'}
      error={error}
      data-autofocus
    />
  );
}
