import { Button, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCircleCheck, IconFileImport, IconUsers } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { ImportResult } from '@shared/contract/customers';
import { customersCount } from '../../customer-format';
import { ImportErrors } from './ImportErrors';

/** Step 3: what was added and what was left out. */
export function ImportDone({ result, onAnother }: { result: ImportResult; onAnother: () => void }) {
  return (
    <Paper withBorder radius="md" p="xl">
      <Stack gap="md">
        <Group gap="md" wrap="nowrap">
          <ThemeIcon size={44} radius="xl" color="green" variant="light">
            <IconCircleCheck size={26} />
          </ThemeIcon>
          <div>
            <Title order={3} fz="lg" data-testid="import-result">
              Imported {customersCount(result.created)}
            </Title>
            <Text size="sm" c="dimmed">
              {result.skipped === 0
                ? `All ${result.rows} rows of the file were added.`
                : `${result.skipped} of ${result.rows} rows were skipped because of the problems below; nothing else was changed.`}
            </Text>
          </div>
        </Group>
        {result.errors.length > 0 && <ImportErrors errors={result.errors} fileName="import.csv" />}
        <Group>
          <Button component={Link} to="/customers" leftSection={<IconUsers size={16} />}>
            See your customers
          </Button>
          <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={onAnother}>
            Import another file
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
