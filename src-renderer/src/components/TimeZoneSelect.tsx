import { Select, type SelectProps } from '@mantine/core';
import { useMemo } from 'react';

/** The browser's own time zone: the sensible default for a business run from this PC. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** IANA names, readable ("America/New York"), with `include` added when the list lacks it (e.g. "UTC"). */
export function timeZoneOptions(include: readonly string[] = []): { value: string; label: string }[] {
  const names = new Set(Intl.supportedValuesOf('timeZone'));
  for (const name of include) if (name) names.add(name);
  return [...names].sort().map((value) => ({ value, label: value.replaceAll('_', ' ') }));
}

/** A searchable time zone list; type a city to narrow it. */
export function TimeZoneSelect(props: Omit<SelectProps, 'data'>) {
  const value = typeof props.value === 'string' ? props.value : '';
  const data = useMemo(() => timeZoneOptions([value, browserTimeZone()]), [value]);
  return (
    <Select
      searchable
      allowDeselect={false}
      limit={50}
      nothingFoundMessage="No time zone by that name; try a city"
      {...props}
      data={data}
    />
  );
}
