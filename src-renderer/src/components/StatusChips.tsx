import { Chip, Group } from '@mantine/core';

interface StatusChipsProps<S extends string> {
  statuses: readonly S[];
  labels: Record<S, string>;
  value: S | 'all';
  onChange: (value: S | 'all') => void;
}

/** One chip per status, plus "All": a list's status filter. */
export function StatusChips<S extends string>({ statuses, labels, value, onChange }: StatusChipsProps<S>) {
  return (
    <Chip.Group<false, S | 'all'> multiple={false} value={value} onChange={onChange}>
      <Group gap={6} role="group" aria-label="Filter by status">
        <Chip value="all" size="sm" variant="light">
          All
        </Chip>
        {statuses.map((s) => (
          <Chip key={s} value={s} size="sm" variant="light">
            {labels[s]}
          </Chip>
        ))}
      </Group>
    </Chip.Group>
  );
}
