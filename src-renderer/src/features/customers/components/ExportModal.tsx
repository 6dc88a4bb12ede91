import type { CustomerFilter } from '@shared/domain/customers';
import { CsvExportModal } from '../../../components/CsvExportModal';
import { useExportCustomers } from '../api/use-export-customers';
import { customersCount } from '../customer-format';
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

/** CSV export of the filtered list or of a selection; the Excel option (remembered) adds a BOM so accents survive. */
export function ExportModal({ target, onClose }: { target: ExportTarget; onClose: () => void }) {
  const exportCustomers = useExportCustomers();
  const excelFriendly = useCustomerList((s) => s.excelFriendly);
  const run = (bom: boolean) => {
    const order = { sort: target.sort.column, direction: target.sort.direction };
    return exportCustomers.mutateAsync(target.ids ? { ids: target.ids, ...order, bom } : { ...target.filter, except: target.except, ...order, bom });
  };
  return (
    <CsvExportModal
      title="Export customers to CSV"
      description={`Exports ${target.description} (${customersCount(target.count)}) with every field, ${describeSort(target.sort)}, as in the list. The file imports back into Recurra as it is.`}
      rowsLabel={customersCount}
      count={target.count}
      excelFriendly={excelFriendly}
      onExcelFriendlyChange={(value) => useCustomerList.getState().setExcelFriendly(value)}
      run={run}
      onClose={onClose}
    />
  );
}
