import { IMPORT_FIELDS, type ImportField } from '@shared/domain/customers';

export type ColumnTarget = ImportField | 'ignore';
export type ImportMapping = Record<string, ColumnTarget>;

export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  name: 'Name',
  email: 'Email',
  phone: 'Phone',
  company: 'Company',
  addressLine1: 'Address line 1',
  addressLine2: 'Address line 2',
  city: 'City',
  region: 'Region / state',
  postalCode: 'Postal code',
  country: 'Country',
  segment: 'Segment',
  tags: 'Tags',
  notes: 'Notes',
  status: 'Status',
  paymentMethod: 'Payment method',
  customerSince: 'Customer since',
};

/** Every customer needs these; a file without them imports nothing. */
export const REQUIRED_FIELDS: readonly ImportField[] = ['name', 'email'];

export const TARGET_OPTIONS = [
  { value: 'ignore', label: "Don't import" },
  ...IMPORT_FIELDS.map((field) => ({ value: field, label: IMPORT_FIELD_LABELS[field] })),
];

export function isColumnTarget(value: string | null): value is ColumnTarget {
  return value === 'ignore' || (IMPORT_FIELDS as readonly string[]).includes(value ?? '');
}

/** Points a column at a field; a field takes one column, so whichever column had it before is set to "don't import". */
export function assignColumn(mapping: ImportMapping, header: string, target: ColumnTarget): ImportMapping {
  const next: ImportMapping = {};
  for (const [other, field] of Object.entries(mapping)) next[other] = target !== 'ignore' && field === target ? 'ignore' : field;
  next[header] = target;
  return next;
}

/** Fills in every header (a header the guess left out is not imported). */
export function completeMapping(headers: readonly string[], guessed: Readonly<ImportMapping>): ImportMapping {
  const mapping: ImportMapping = {};
  for (const header of headers) mapping[header] = guessed[header] ?? 'ignore';
  return mapping;
}

export function missingRequired(mapping: Readonly<ImportMapping>): ImportField[] {
  const mapped = new Set(Object.values(mapping));
  return REQUIRED_FIELDS.filter((field) => !mapped.has(field));
}

export function sameMapping(a: Readonly<ImportMapping> | null, b: Readonly<ImportMapping> | null): boolean {
  if (!a || !b) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** The columns a template file starts with: the exported file has the same ones, so an export imports back. */
export const TEMPLATE_CSV = [
  'Name,Email,Phone,Company,Address line 1,Address line 2,City,Region,Postal code,Country,Segment,Tags,Notes,Status,Payment method,Customer since',
  'Jane Doe,jane@example.com,(555) 010-1234,Acme Corp,12 Main Street,,Springfield,IL,62701,United States,Retail,"vip, newsletter",Prefers email,active,card,2024-03-15',
].join('\r\n');
