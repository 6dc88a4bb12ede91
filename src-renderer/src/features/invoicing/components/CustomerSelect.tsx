import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useCustomerOptions } from '../api/use-customer-options';

/** Searches customers as you type, on the server. */
export function CustomerSelect({ value, onChange, error }: { value: string | null; onChange: (id: string | null) => void; error?: React.ReactNode }) {
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<{ value: string; label: string } | null>(null);
  const [debounced] = useDebouncedValue(picked && search === picked.label ? '' : search, 200);
  const options = useCustomerOptions(debounced, true);
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
