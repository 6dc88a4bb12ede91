import { Button, Group, ScrollArea, Table, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import type { ImportResult } from '@shared/contract/customers';
import { downloadText } from '../../../../lib/download';
import { IMPORT_FIELD_LABELS } from '../../import-mapping';

const SHOWN = 200;

const fieldLabel = (field: string) => IMPORT_FIELD_LABELS[field as keyof typeof IMPORT_FIELD_LABELS] ?? field;
const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** Every bad row with its line in the file, the field and the reason; all of them as CSV when there are many. */
export function ImportErrors({ errors, fileName }: { errors: ImportResult['errors']; fileName: string }) {
  const downloadAll = () => {
    const lines = ['Line,Field,Problem', ...errors.map((e) => [String(e.line), fieldLabel(e.field), e.message].map(csvCell).join(','))];
    downloadText(lines.join('\r\n'), `${fileName.replace(/\.csv$/i, '')}-problems.csv`);
  };

  return (
    <>
      <Group justify="space-between" mt="md" mb={6}>
        <Text size="sm" fw={600}>
          {errors.length === 1 ? 'One row has a problem' : `${errors.length.toLocaleString()} rows have problems`}
          <Text span size="sm" c="dimmed" fw={400}>
            {' '}
            (fix them in the file and import it again: customers already added are skipped, not doubled)
          </Text>
        </Text>
        {errors.length > 10 && (
          <Button variant="subtle" size="compact-sm" leftSection={<IconDownload size={14} />} onClick={downloadAll}>
            Download the list
          </Button>
        )}
      </Group>
      <ScrollArea.Autosize mah={360} type="auto">
        <Table striped verticalSpacing={6} data-testid="import-errors" stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={80}>Line</Table.Th>
              <Table.Th w={160}>Field</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {errors.slice(0, SHOWN).map((error) => (
              <Table.Tr key={`${error.line}-${error.field}`}>
                <Table.Td>{error.line}</Table.Td>
                <Table.Td>{fieldLabel(error.field)}</Table.Td>
                <Table.Td>{error.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      {errors.length > SHOWN && (
        <Text size="xs" c="dimmed" mt={4}>
          Showing the first {SHOWN} of {errors.length.toLocaleString()}; download the list for all of them.
        </Text>
      )}
    </>
  );
}
