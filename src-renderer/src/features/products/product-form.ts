import { productChangesSchema, productFieldsSchema, type Product, type ProductFields } from '@shared/contract/products';
import type { CurrencyCode } from '@shared/domain/money';
import { parseMoneyInput } from '../../lib/money-input';

export interface ProductFormValues {
  sku: string;
  name: string;
  category: string;
  description: string;
  price: string;
  stock: number | string;
  lowStockAt: number | string;
}

export const EMPTY_PRODUCT: ProductFormValues = { sku: '', name: '', category: '', description: '', price: '', stock: '', lowStockAt: '' };

export function productFormValues(p: Product, toInput: (minor: number) => string): ProductFormValues {
  return { sku: p.sku, name: p.name, category: p.category, description: p.description, price: toInput(p.price), stock: p.stock ?? '', lowStockAt: p.lowStockAt ?? '' };
}

const count = (v: number | string) => (v === '' ? null : Number(v));

/**
 * The form as products.create's input (or products.update's, when editing: no
 * stock), or a message per field, checked by the contract's own schema.
 */
export function readProductForm(values: ProductFormValues, currency: CurrencyCode, editing: boolean): { fields: ProductFields | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const price = parseMoneyInput(values.price, currency);
  if (!price.ok) errors.price = price.message;
  const fields: ProductFields = {
    sku: values.sku,
    name: values.name,
    category: values.category,
    description: values.description,
    price: price.ok ? price.minor : 0,
    stock: editing ? null : count(values.stock),
    lowStockAt: count(values.lowStockAt),
  };
  const checked = (editing ? productChangesSchema : productFieldsSchema).safeParse(fields);
  if (!checked.success) for (const issue of checked.error.issues) errors[String(issue.path[0] ?? 'sku')] ??= issue.message;
  return { fields: Object.keys(errors).length === 0 ? fields : null, errors };
}
