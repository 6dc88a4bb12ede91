import { Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { CustomerFilter } from '@shared/domain/customers';
import { FormAlert } from '../../../components/FormAlert';
import { placeServerError } from '../../../lib/form-errors';
import { useExportCustomers } from '../api/use-export-customers';
import { customersCount } from '../customer-format';
import { startDownload } from '../../../lib/download';
import { useCustomerList } from '../stores/customer-list-store';
import { describeSort, type ListSort } from '../list-filter';

export interface ExportTarget {
  /** What the person sees: "the 230 customers in this list", "the 3 selected customers". */
  description: string;
  count: number;
  filter: CustomerFilter;
  /** The list's order on screen: the file follows it. */
  sort: ListSort;
  ids?: string[];
  /** With the filter: everyone matching but these. */
  except?: string[];
}


/** CSV export of the filtered list or of a selection; the Excel option adds a BOM so accents survive. */
export function ExportModal({ target, onClose }: { target: ExportTarget; onClose: () => void }) {
  const exportCustomers = useExportCustomers();
  const excelFriendly = useCustomerList((s) => s.excelFriendly);
  const [error, setError] = useState<string | null>(null);

  const run = () => {
    setError(null);
    const order = { sort: target.sort.column, direction: target.sort.direction };
    const input = target.ids ? { ids: target.ids, ...order, bom: excelFriendly } : { ...target.filter, except: target.except, ...order, bom: excelFriendly };
    exportCustomers.mutate(input, {
      onSuccess: (result) => {
        if (result.downloadUrl) {
          startDownload(result.downloadUrl);
          notifications.show({ color: 'green', title: 'Export ready', message: `${customersCount(result.rows)} exported to CSV.` });
        } else if (result.path) {
          notifications.show({ color: 'green', title: 'Export saved', message: `${customersCount(result.rows)} saved to ${result.path}` });
        }
        onClose(); // neither: the save dialog was cancelled, nothing to say
      },
      onError: (e) => setError(placeServerError(e, []).message),
    });
  };

  return (
    <Modal opened onClose={onClose} title="Export customers to CSV" size="md">
      <Stack gap="md">
        <Text size="sm">
          Exports {target.description} ({customersCount(target.count)}) with every field, {describeSort(target.sort)}, as in the list. The file imports back into
          Recurra as it is.
        </Text>
        <Checkbox
          label="Excel-friendly (UTF-8 with BOM)"
          description="Pick this if you will open the file in Microsoft Excel, so accents and symbols show correctly."
          checked={excelFriendly}
          onChange={(event) => useCustomerList.getState().setExcelFriendly(event.currentTarget.checked)}
        />
        <FormAlert message={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={run} loading={exportCustomers.isPending} data-autofocus>
            Export {customersCount(target.count)}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
