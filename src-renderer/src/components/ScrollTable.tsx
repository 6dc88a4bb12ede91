import { Paper, Table, VisuallyHidden, type TableProps } from '@mantine/core';
import type { ReactNode } from 'react';

/** A column's header: its label, or the label with how the column is laid out. */
export type Column = string | { label: string; align?: 'right'; width?: number; hiddenLabel?: boolean };

/** The column of row buttons at the end: named for screen readers, blank on screen. */
export function actionsColumn(width = 48): Column {
  return { label: 'Actions', width, hiddenLabel: true };
}

function HeaderCell({ column }: { column: Column }) {
  const { label, align, width, hiddenLabel } = typeof column === 'string' ? { label: column } : column;
  if (!hiddenLabel) {
    return (
      <Table.Th ta={align} w={width}>
        {label}
      </Table.Th>
    );
  }
  return (
    // relative: keeps the hidden label inside the scroll container
    <Table.Th w={width} pos="relative">
      <VisuallyHidden>{label}</VisuallyHidden>
    </Table.Th>
  );
}

interface ScrollTableProps extends Omit<TableProps, 'children'> {
  /** Below this width the table scrolls sideways instead of squeezing its columns. */
  minWidth: number;
  columns: Column[];
  /** The body rows (`Table.Tr`). */
  children: ReactNode;
}

/** A table with one header row that scrolls sideways on narrow windows. */
export function ScrollTable({ minWidth, columns, children, ...tableProps }: ScrollTableProps) {
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native">
      <Table {...tableProps}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <HeaderCell key={typeof column === 'string' ? column : column.label} column={column} />
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A list's table on its own bordered card; `stale` fades it while the next page replaces it. */
export function TableCard({ stale = false, ...props }: ScrollTableProps & { stale?: boolean }) {
  return (
    <Paper withBorder radius="md" opacity={stale ? 0.7 : undefined}>
      <ScrollTable verticalSpacing="sm" horizontalSpacing="md" {...props} />
    </Paper>
  );
}
