import { Select, Stack, Text, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import { forwardRef, useMemo, useState } from 'react';
import { useRpcQuery } from '../lib/query';

export interface PickedCustomer {
  id: string;
  name: string;
}

type PickerProps = Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange'> & {
  value: PickedCustomer | null;
  onChange(customer: PickedCustomer | null): void;
};

/** A customer found by typing part of their name or email (the server searches); clearable. */
export const CustomerPicker = forwardRef<HTMLInputElement, PickerProps>(function CustomerPicker({ value, onChange, ...props }, ref) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 150);
  const typing = debounced !== '' && debounced !== value?.name;
  const found = useRpcQuery('customers.list', { search: debounced, limit: 8, withTotal: false }, { enabled: typing, placeholderData: keepPreviousData });
  const data = useMemo(() => {
    const rows = typing ? (found.data?.rows ?? []).map((c) => ({ value: c.id, label: c.name, email: c.email ?? '' })) : [];
    if (value && !rows.some((r) => r.value === value.id)) rows.unshift({ value: value.id, label: value.name, email: '' });
    return rows;
  }, [found.data, typing, value]);
  return (
    <Select
      ref={ref}
      searchable
      clearable
      placeholder="Search by name or email"
      nothingFoundMessage={typing ? (found.isFetching ? 'Searching…' : 'No customer matches') : 'Type a name or email'}
      {...props}
      data={data.map(({ value: v, label }) => ({ value: v, label }))}
      filter={({ options }) => options}
      renderOption={({ option }) => {
        const email = data.find((r) => r.value === option.value)?.email;
        return (
          <Stack gap={0}>
            <Text size="sm">{option.label}</Text>
            {email && (
              <Text size="xs" c="dimmed">
                {email}
              </Text>
            )}
          </Stack>
        );
      }}
      value={value?.id ?? null}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(id) => {
        const row = data.find((r) => r.value === id);
        onChange(row ? { id: row.value, name: row.label } : null);
      }}
    />
  );
});
