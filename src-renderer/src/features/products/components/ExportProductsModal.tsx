import type { Input } from '@shared/contract';
import { CsvExportModal } from '../../../components/CsvExportModal';
import { useExportProducts } from '../api';

const productsCount = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'product' : 'products'}`;

/** The list as it is filtered, to CSV; the file imports back (`recurra import products`, products.import). */
export function ExportProductsModal({ filter, count, onClose }: { filter: Omit<Input<'products.export'>, 'bom'>; count: number; onClose: () => void }) {
  const exportProducts = useExportProducts();
  return (
    <CsvExportModal
      title="Export products to CSV"
      description={`Exports the ${productsCount(count)} in this list, by name, with SKU, price, category, stock on hand, low-stock level and description. The file imports back into Recurra as it is (the stock becomes the opening stock).`}
      rowsLabel={productsCount}
      count={count}
      run={(bom) => exportProducts.mutateAsync({ ...filter, bom })}
      onClose={onClose}
    />
  );
}
