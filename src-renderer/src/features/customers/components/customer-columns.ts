import type { CustomerSortColumn } from '@shared/domain/customers';

/** The list's columns, in order; each sorts by its own field. */
export const CUSTOMER_COLUMNS: readonly { key: CustomerSortColumn; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email' },
  { key: 'company', label: 'Company' },
  { key: 'phone', label: 'Phone' },
  { key: 'segment', label: 'Segment' },
  { key: 'status', label: 'Status' },
  { key: 'risk', label: 'Risk' },
  { key: 'paymentMethod', label: 'Payment' },
  { key: 'createdAt', label: 'Added' },
];
