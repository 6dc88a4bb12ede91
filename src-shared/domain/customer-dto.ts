import type { Customer, customerFieldRules } from './customers';

// A customer as the CLI, the app and the REST API show it, from its row (the
// SQLite columns, as the sync change log and the server's projection carry
// them), its tags and the business's currency: one mapping for the PC and the server.

export interface CustomerRow {
  /** The PC's own rowid alias (never synced; the server has none). */
  seq?: number;
  id: string;
  name: string;
  email: string;
  email_normalized: string;
  phone: string;
  company: string;
  address_line1: string;
  address_line2: string;
  city: string;
  region: string;
  postal_code: string;
  country: string;
  segment: string;
  notes: string;
  status: 'active' | 'inactive';
  payment_method: 'card' | 'card_declining' | 'manual';
  credit_balance: number;
  created_at: string;
  updated_at: string;
  /** When the customer unsubscribed from campaign emails (null: subscribed). */
  email_opt_out_at?: string | null;
}

export function toCustomerDto(row: CustomerRow, tags: string[], currency: string): Customer {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    company: row.company,
    addressLine1: row.address_line1,
    addressLine2: row.address_line2,
    city: row.city,
    region: row.region,
    postalCode: row.postal_code,
    country: row.country,
    segment: row.segment,
    tags,
    notes: row.notes,
    status: row.status,
    paymentMethod: row.payment_method,
    creditBalance: row.credit_balance,
    currency,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}


/** The column of each field a person edits (tags live in customer_tags). */
export const CUSTOMER_FIELD_COLUMNS: Record<Exclude<keyof typeof customerFieldRules, 'tags'>, string> = {
  name: 'name',
  email: 'email',
  phone: 'phone',
  company: 'company',
  addressLine1: 'address_line1',
  addressLine2: 'address_line2',
  city: 'city',
  region: 'region',
  postalCode: 'postal_code',
  country: 'country',
  segment: 'segment',
  notes: 'notes',
  status: 'status',
  paymentMethod: 'payment_method',
};
