import { Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type ReactNode } from 'react';
import { placeServerError } from '../lib/form-errors';
import { startDownload } from '../lib/download';
import { FormAlert } from './FormAlert';

/** What an export method answers: a one-time link in the browser host, or the path the desktop app saved to (neither: the save dialog was cancelled). */
export interface CsvExportResult {
  rows: number;
  downloadUrl?: string | null;
  path?: string | null;
}

interface CsvExportModalProps {
  /** "Export customers to CSV". */
  title: string;
  /** What goes into the file, in words. */
  description: ReactNode;
  /** The rows in words, for the button and the notice: `(n) => "3 customers"`. */
  rowsLabel: (n: number) => string;
  /** How many rows the export holds, as the list shows. */
  count: number;
  /** The Excel option, when the caller keeps it (a remembered choice); else this dialog keeps it. */
  excelFriendly?: boolean;
  onExcelFriendlyChange?: (value: boolean) => void;
  /** Runs the export; `bom` adds a byte-order mark so Excel reads UTF-8. */
  run: (bom: boolean) => Promise<CsvExportResult>;
  onClose: () => void;
}

/** The one CSV export dialog: what the file holds, the Excel-friendly option, then a download (browser) or a saved path (desktop). */
export function CsvExportModal({ title, description, rowsLabel, count, excelFriendly, onExcelFriendlyChange, run, onClose }: CsvExportModalProps) {
  const [ownBom, setOwnBom] = useState(false);
  const bom = excelFriendly ?? ownBom;
  const setBom = onExcelFriendlyChange ?? setOwnBom;
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const start = async () => {
    setError(null);
    setPending(true);
    try {
      const result = await run(bom);
      if (result.downloadUrl) {
        startDownload(result.downloadUrl);
        notifications.show({ color: 'green', title: 'Export ready', message: `${rowsLabel(result.rows)} exported to CSV.` });
      } else if (result.path) {
        notifications.show({ color: 'green', title: 'Export saved', message: `${rowsLabel(result.rows)} saved to ${result.path}` });
      }
      onClose(); // neither: the save dialog was cancelled, nothing to say
    } catch (e) {
      setError(placeServerError(e, []).message);
    } finally {
      setPending(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={title} size="md">
      <Stack gap="md">
        <Text size="sm">{description}</Text>
        <Checkbox
          label="Excel-friendly (UTF-8 with BOM)"
          description="Pick this if you will open the file in Microsoft Excel, so accents and symbols show correctly."
          checked={bom}
          onChange={(event) => setBom(event.currentTarget.checked)}
        />
        <FormAlert message={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void start()} loading={pending} data-autofocus>
            Export {rowsLabel(count)}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
