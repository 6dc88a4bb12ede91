import { schemaResolver } from '@mantine/form';
import type { ReactNode } from 'react';
import type { Input } from '@shared/contract';
import {
  customerFieldsSchema,
  PAYMENT_METHOD_LABELS,
  PAYMENT_METHODS,
  type Customer,
  type CustomerStatus,
  type PaymentMethod,
} from '@shared/domain/customers';

/** Every field a person edits, exactly the keys customers.create takes. */
export interface CustomerFormValues {
  name: string;
  email: string;
  phone: string;
  company: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  segment: string;
  tags: string[];
  notes: string;
  status: CustomerStatus;
  paymentMethod: PaymentMethod;
}

/** The form checks with the contract's own rules and messages. */
export const customerFormSchema = customerFieldsSchema;

const checkFields = schemaResolver(customerFormSchema, { sync: true });

/** The contract's check, with a bad tag ("tags.1") reported on the Tags field, which is where it shows. */
export function validateCustomerForm(values: CustomerFormValues): Record<string, ReactNode> {
  const errors: Record<string, ReactNode> = {};
  for (const [path, message] of Object.entries(checkFields(values))) {
    const field = path.split('.')[0] ?? path;
    errors[field] ??= message;
  }
  return errors;
}

export const EMPTY_CUSTOMER: CustomerFormValues = {
  name: '',
  email: '',
  phone: '',
  company: '',
  addressLine1: '',
  addressLine2: '',
  city: '',
  region: '',
  postalCode: '',
  country: '',
  segment: '',
  tags: [],
  notes: '',
  status: 'active',
  paymentMethod: 'card',
};

const FIELDS = Object.keys(EMPTY_CUSTOMER) as (keyof CustomerFormValues)[];

export function toCustomerFormValues(customer: Customer): CustomerFormValues {
  const values = { ...EMPTY_CUSTOMER };
  for (const field of FIELDS) (values as Record<string, unknown>)[field] = customer[field];
  return values;
}

/** Only what the person changed, so an edit never overwrites a field someone else changed meanwhile. */
export function changedFields(before: CustomerFormValues, after: CustomerFormValues): Partial<CustomerFormValues> {
  const changes: Partial<CustomerFormValues> = {};
  for (const field of FIELDS) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) (changes as Record<string, unknown>)[field] = after[field];
  }
  return changes;
}

/**
 * The customer changed elsewhere (another window, a sync from another PC)
 * while the form was open: the fields the person has not touched take the
 * newer values; what they typed stays. Returns the form's new values and the
 * new base that saving compares against.
 */
export function rebaseForm(
  base: CustomerFormValues,
  typed: CustomerFormValues,
  newer: CustomerFormValues,
): { values: CustomerFormValues; base: CustomerFormValues } {
  const values = { ...typed };
  for (const field of FIELDS) {
    if (JSON.stringify(typed[field]) === JSON.stringify(base[field])) (values as Record<string, unknown>)[field] = newer[field];
  }
  return { values, base: newer };
}

export function toCreateInput(values: CustomerFormValues): Input<'customers.create'> {
  return { ...values };
}

export function toUpdateInput(id: string, before: CustomerFormValues, after: CustomerFormValues): Input<'customers.update'> {
  return { id, ...changedFields(before, after) };
}

export const PAYMENT_METHOD_OPTIONS = PAYMENT_METHODS.map((value) => ({ value, label: PAYMENT_METHOD_LABELS[value] }));

/** What each payment method means, in plain words. */
export const PAYMENT_METHOD_HINTS: Record<PaymentMethod, string> = {
  card: 'Invoices are charged to their card automatically.',
  card_declining: 'A test card that always fails: try out failed payments and retries.',
  manual: 'They pay invoices by cash or bank transfer; you record the payment.',
};

export const STATUS_OPTIONS: { value: CustomerStatus; label: string }[] = [
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Inactive' },
];
