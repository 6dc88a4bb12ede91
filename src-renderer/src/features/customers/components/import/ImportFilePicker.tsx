import { Button, FileButton, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { IconDownload, IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { FormAlert } from '../../../../components/FormAlert';
import { downloadText } from '../../../../lib/download';
import { TEMPLATE_CSV } from '../../import-mapping';

const MAX_BYTES = 64 * 1024 * 1024;

interface ImportFilePickerProps {
  fileName: string | null;
  reading: boolean;
  error: string | null;
  onFile(name: string, text: string): void;
  onError(message: string): void;
}

export function ImportFilePicker({ fileName, reading, error, onFile, onError }: ImportFilePickerProps) {
  const read = async (file: File | null) => {
    if (!file) return;
    if (file.size > MAX_BYTES) return onError(`${file.name} is larger than 64 MB. Split it into smaller files.`);
    try {
      onFile(file.name, await file.text());
    } catch {
      onError(`${file.name} could not be read. Is it still there?`);
    }
  };

  return (
    <Stack gap="lg" maw={760}>
      <Paper
        withBorder
        radius="md"
        p="xl"
        data-testid="import-drop-zone"
        // a file dragged from the desktop works as well as the button
        onDragOver={(event) => event.preventDefault()}
        onDrop={(event) => {
          event.preventDefault();
          void read(event.dataTransfer.files[0] ?? null);
        }}
      >
        <Stack align="center" gap="sm" ta="center">
          <IconFileSpreadsheet size={40} stroke={1.5} color="var(--mantine-color-indigo-6)" />
          <Title order={3} fz="lg">
            Choose a CSV file, or drop it here
          </Title>
          <Text size="sm" c="dimmed" maw={480}>
            In Excel, Numbers or Google Sheets use “Save as” or “Download” and pick CSV. Nothing is added until you have checked the
            file and pressed Import.
          </Text>
          <FileButton onChange={(file) => void read(file)} accept=".csv,text/csv,text/plain">
            {(props) => (
              <Button {...props} leftSection={<IconUpload size={16} />} loading={reading} mt="xs">
                Choose file…
              </Button>
            )}
          </FileButton>
          {fileName && (
            <Text size="sm" c="dimmed">
              {fileName}
            </Text>
          )}
        </Stack>
      </Paper>
      <FormAlert message={error} />
      <Paper withBorder radius="md" p="lg">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
          <div>
            <Title order={3} fz="md">
              What the file should look like
            </Title>
            <Text size="sm" c="dimmed">
              One customer per row, and a first row naming the columns. Column names need not match exactly: you can match them next.
            </Text>
          </div>
          <Button variant="default" size="xs" leftSection={<IconDownload size={14} />} onClick={() => downloadText(TEMPLATE_CSV, 'customers-template.csv')}>
            Download a template
          </Button>
        </Group>
        <List size="sm" mt="sm" spacing={4}>
          <List.Item>
            <b>Name</b> and <b>Email</b> are needed; each email once.
          </List.Item>
          <List.Item>Also understood: Phone, Company, Address line 1 and 2, City, Region, Postal code, Country, Segment, Notes.</List.Item>
          <List.Item>
            <b>Tags</b> separated by commas (“vip, newsletter”); <b>Status</b> active or inactive; <b>Payment method</b> card, card
            declining or manual.
          </List.Item>
          <List.Item>
            <b>Customer since</b> as a date written year first (2024-03-15), so your growth chart keeps their history; without it, they count as
            new today.
          </List.Item>
          <List.Item>A file exported from Recurra imports back as it is.</List.Item>
        </List>
      </Paper>
    </Stack>
  );
}
