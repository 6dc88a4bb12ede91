import { Select, Table, Text } from '@mantine/core';
import { useMemo } from 'react';
import { columnExamples } from '../../csv-preview';
import { isColumnTarget, TARGET_OPTIONS, type ColumnTarget, type ImportMapping } from '../../import-mapping';

interface ImportMappingTableProps {
  headers: string[];
  mapping: ImportMapping;
  csv: string;
  onMap(header: string, target: ColumnTarget): void;
}

/** One line per column of the file: its name, a few values from it, and the customer field it fills. */
export function ImportMappingTable({ headers, mapping, csv, onMap }: ImportMappingTableProps) {
  const examples = useMemo(() => columnExamples(csv), [csv]);
  return (
    <Table verticalSpacing={6} horizontalSpacing="sm" layout="fixed">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="28%">Column in the file</Table.Th>
          <Table.Th>Example values</Table.Th>
          <Table.Th w={230}>Imports into</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {headers.map((header, i) => {
          const target = mapping[header] ?? 'ignore';
          return (
            <Table.Tr key={header} data-testid={`mapping-${header}`}>
              <Table.Td>
                <Text size="sm" fw={600} truncate title={header}>
                  {header || '(no name)'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed" truncate title={(examples[i] ?? []).join(', ')}>
                  {(examples[i] ?? []).join(' · ') || 'empty'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Select
                  aria-label={`Field for column ${header}`}
                  data={TARGET_OPTIONS}
                  value={target}
                  allowDeselect={false}
                  onChange={(value) => isColumnTarget(value) && onMap(header, value)}
                  size="xs"
                  styles={target === 'ignore' ? { input: { color: 'var(--mantine-color-dimmed)' } } : undefined}
                />
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
