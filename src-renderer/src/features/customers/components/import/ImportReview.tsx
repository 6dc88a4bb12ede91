import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconChecks, IconFileImport, IconRefresh } from '@tabler/icons-react';
import { FormAlert } from '../../../../components/FormAlert';
import { customersCount } from '../../customer-format';
import { IMPORT_FIELD_LABELS, missingRequired, type ColumnTarget } from '../../import-mapping';
import { checkIsCurrent, importableCount, type ImportState } from '../../import-state';
import { ImportErrors } from './ImportErrors';
import { ImportMappingTable } from './ImportMappingTable';

interface ImportReviewProps {
  state: ImportState;
  busy: boolean;
  error: string | null;
  onMap(header: string, target: ColumnTarget): void;
  onCheck(): void;
  onImport(): void;
  onStartOver(): void;
}

/** Step 2: match the columns, check the file, then import the rows that passed. */
export function ImportReview({ state, busy, error, onMap, onCheck, onImport, onStartOver }: ImportReviewProps) {
  const missing = missingRequired(state.mapping);
  const current = checkIsCurrent(state);
  const importable = importableCount(state);
  const check = state.check;

  return (
    <Stack gap="lg">
      <Paper withBorder radius="md" p="lg">
        <Group justify="space-between" align="flex-start" mb="sm" wrap="nowrap">
          <div>
            <Title order={3} fz="md">
              Match the columns of {state.file?.name}
            </Title>
            <Text size="sm" c="dimmed">
              Recurra guessed from the column names; change any that are wrong. Columns set to “Don't import” are left out.
            </Text>
          </div>
          <Button variant="default" size="xs" onClick={onStartOver} style={{ flex: 'none' }}>
            Choose another file
          </Button>
        </Group>
        <ImportMappingTable headers={state.headers} mapping={state.mapping} csv={state.file?.text ?? ''} onMap={onMap} />
        {missing.length > 0 && (
          <Alert color="orange" variant="light" mt="md" icon={<IconAlertTriangle size={18} />}>
            Choose the column that holds {missing.map((f) => IMPORT_FIELD_LABELS[f].toLowerCase()).join(' and ')}: every customer needs one.
          </Alert>
        )}
      </Paper>

      <Paper withBorder radius="md" p="lg" aria-live="polite">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <div>
            <Title order={3} fz="md">
              Check the file
            </Title>
            {check && current ? (
              <Text size="sm" data-testid="import-check-summary">
                {check.rows} {check.rows === 1 ? 'row' : 'rows'}: <b>{customersCount(check.created)} ready</b>
                {check.errors.length > 0 && `, ${check.skipped} with problems (skipped on import)`}.
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                The columns changed since the last check: check the file again before importing.
              </Text>
            )}
          </div>
          <Group gap="sm">
            <Button variant={current ? 'default' : 'filled'} leftSection={current ? <IconRefresh size={16} /> : <IconChecks size={16} />} onClick={onCheck} loading={busy && !current} disabled={busy}>
              Check file
            </Button>
            <Button leftSection={<IconFileImport size={16} />} onClick={onImport} disabled={importable === 0 || busy} loading={busy && current}>
              Import {customersCount(importable)}
            </Button>
          </Group>
        </Group>
        <FormAlert message={error} />
        {check && current && check.errors.length > 0 && <ImportErrors errors={check.errors} fileName={state.file?.name ?? 'import.csv'} />}
      </Paper>
    </Stack>
  );
}
