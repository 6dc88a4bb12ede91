import { Group, Pagination, Text } from '@mantine/core';

interface PagerProps {
  /** How many rows the whole list holds. */
  total: number;
  pageSize: number;
  /** The page shown, from 0. */
  page: number;
  onPageChange: (page: number) => void;
  /** "invoices", as in "120 invoices". */
  what: string;
}

/** The count and page links under a paged list; nothing when it fits on one page. */
export function Pager({ total, pageSize, page, onPageChange, what }: PagerProps) {
  if (total <= pageSize) return null;
  return (
    <Group justify="space-between">
      <Text size="sm" c="dimmed">
        {total} {what}
      </Text>
      <Pagination total={Math.ceil(total / pageSize)} value={page + 1} onChange={(p) => onPageChange(p - 1)} size="sm" />
    </Group>
  );
}
