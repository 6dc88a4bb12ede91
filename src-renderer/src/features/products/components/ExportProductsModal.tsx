import { Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Input } from '@shared/contract';
import { FormAlert } from '../../../components/FormAlert';
import { startDownload } from '../../../lib/download';
import { placeServerError } from '../../../lib/form-errors';
import { useExportProducts } from '../api';

const productsCount = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'product' : 'products'}`;

/** The list as it is filtered, to CSV; the file imports back (`recurra import products`, products.import). */
export function ExportProductsModal({ filter, count, onClose }: { filter: Omit<Input<'products.export'>, 'bom'>; count: number; onClose: () => void }) {
  const exportProducts = useExportProducts();
  const [bom, setBom] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = () => {
    setError(null);
    exportProducts.mutate(
      { ...filter, bom },
      {
        onSuccess: (result) => {
          if (result.downloadUrl) {
            startDownload(result.downloadUrl);
            notifications.show({ color: 'green', title: 'Export ready', message: `${productsCount(result.rows)} exported to CSV.` });
          } else if (result.path) {
            notifications.show({ color: 'green', title: 'Export saved', message: `${productsCount(result.rows)} saved to ${result.path}` });
          }
          onClose(); // neither: the save dialog was cancelled, nothing to say
        },
        onError: (e) => setError(placeServerError(e, []).message),
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title="Export products to CSV" size="md">
      <Stack gap="md">
        <Text size="sm">
          Exports the {productsCount(count)} in this list, by name, with SKU, price, category, stock on hand, low-stock level and description. The file imports back into
          Recurra as it is (the stock becomes the opening stock).
        </Text>
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
          <Button onClick={run} loading={exportProducts.isPending} data-autofocus>
            Export {productsCount(count)}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
