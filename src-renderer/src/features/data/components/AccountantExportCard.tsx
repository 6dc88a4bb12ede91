import { Alert, Button, Checkbox, Group, List, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconFileZip } from '@tabler/icons-react';
import { useState } from 'react';
import type { Output } from '@shared/contract';
import { FormAlert } from '../../../components/FormAlert';
import { startDownload } from '../../../lib/download';
import { placeServerError } from '../../../lib/form-errors';
import { useExportAccounts } from '../api/use-export-accounts';
import { DataCard } from './DataCard';

type ExportResult = Output<'backup.exportAccounts'>;

const rows = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;

/** "Export everything for my accountant": a zip of CSV files over the whole history. Anyone who can log in may. */
export function AccountantExportCard() {
  const exportAccounts = useExportAccounts();
  const [bom, setBom] = useState(true);
  const [done, setDone] = useState<{ where: string; files: ExportResult['files'] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = () => {
    setDone(null);
    setError(null);
    exportAccounts.mutate(
      { bom },
      {
        onSuccess: (result) => {
          if (result.downloadUrl) {
            startDownload(result.downloadUrl);
            setDone({ where: 'Your browser is saving the zip file to your downloads.', files: result.files });
          } else if (result.path) {
            setDone({ where: `Saved to ${result.path}`, files: result.files });
          }
        },
        onError: (e) => setError(placeServerError(e, []).message),
      },
    );
  };

  return (
    <DataCard
      testId="accountant-card"
      icon={<IconFileZip size={22} />}
      title="Export everything for my accountant"
      description="A zip file of spreadsheets (CSV): customers, subscriptions, invoices, payments and refunds, and the monthly figures, over the whole history. Send it to your accountant or bookkeeper; it opens in Excel, Numbers or Google Sheets."
    >
      <Stack gap="sm" align="flex-start">
        <Group gap="lg">
          <Button leftSection={<IconFileZip size={16} />} onClick={run} loading={exportAccounts.isPending}>
            Export for my accountant
          </Button>
          <Checkbox
            label="Excel-friendly (BOM)"
            description="Keeps accents and currency symbols right in Microsoft Excel"
            checked={bom}
            onChange={(e) => setBom(e.currentTarget.checked)}
          />
        </Group>
        {done && (
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} data-testid="accountant-done" py="xs">
            <Text size="sm">{done.where}</Text>
            <List size="xs" mt={4} spacing={0}>
              {done.files.map((f) => (
                <List.Item key={f.name}>
                  {f.name}: {rows(f.rows)}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        <FormAlert message={error} />
      </Stack>
    </DataCard>
  );
}
