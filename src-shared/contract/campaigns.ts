import { z } from 'zod';
import { method } from './define';
import { idSchema, lineText, multilineText } from '../domain/fields';
import { CUSTOMER_STATUSES } from '../domain/customers';

// Email campaigns (issue 14, item 5): an email to an audience of customers
// chosen by segment, tag, status and/or a saved customer view. Each recipient
// gets it once; customers who unsubscribed never do. Amounts in minor units.

/** Who a campaign goes to: the customers matching ALL the given parts (none given: every customer). */
export const campaignAudienceSchema = z.object({
  segment: lineText(60).pipe(z.string()).optional(),
  tag: lineText(40).pipe(z.string()).optional(),
  status: z.enum(CUSTOMER_STATUSES, { message: 'Status must be active or inactive' }).optional(),
  /** The name of a saved customer view (its search and filters). */
  view: lineText(60).pipe(z.string()).optional(),
});
export type CampaignAudience = z.infer<typeof campaignAudienceSchema>;

export const campaignRecipientPreviewSchema = z.object({ customerId: z.string(), name: z.string(), email: z.string() });

export const campaignPreviewSchema = z.object({
  /** How many would get it now. */
  count: z.number().int(),
  /** Matching customers left out because they unsubscribed. */
  optedOut: z.number().int(),
  /** Matching customers left out because they have no email address. */
  noEmail: z.number().int(),
  /** The first recipients, by name. */
  recipients: z.array(campaignRecipientPreviewSchema),
});
export type CampaignPreview = z.infer<typeof campaignPreviewSchema>;

export const CAMPAIGN_RECIPIENT_STATUSES = ['queued', 'sent', 'failed', 'skipped'] as const;

export const campaignRecipientSchema = z.object({
  customerId: z.string(),
  name: z.string(),
  email: z.string(),
  /** queued (waiting or retrying), sent, failed (given up, with the reason), skipped (unsubscribed before it went). */
  status: z.enum(CAMPAIGN_RECIPIENT_STATUSES),
  error: z.string().nullable(),
  /** When a failed email is tried again (null: not retried). */
  retryAt: z.string().nullable(),
  sentAt: z.string().nullable(),
});
export type CampaignRecipient = z.infer<typeof campaignRecipientSchema>;

export const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  subject: z.string(),
  body: z.string(),
  audience: campaignAudienceSchema,
  status: z.enum(['draft', 'sending', 'sent']),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  recipients: z.number().int(),
  queued: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  currency: z.string(),
  /** Revenue from the recipients in the 14 days from the send day (payments less refunds, plus counter sales less their refunds). */
  attributedRevenue: z.number().int(),
  /** The same recipients' revenue in the 14 days before the send day. */
  previousRevenue: z.number().int(),
  /** The two windows (business dates, inclusive); null before the campaign is sent. */
  window: z.object({ before: z.object({ from: z.string(), to: z.string() }), after: z.object({ from: z.string(), to: z.string() }) }).nullable(),
});
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignDetailSchema = campaignSchema.extend({ recipientRows: z.array(campaignRecipientSchema) });
export type CampaignDetail = z.infer<typeof campaignDetailSchema>;

export const campaignCreateSchema = z.object({
  name: lineText(120).pipe(z.string().min(1, 'Give the campaign a name')),
  subject: lineText(200).pipe(z.string().min(1, 'Enter a subject')),
  body: multilineText(50_000).pipe(z.string().refine((s) => s.trim() !== '', 'Write the message')),
  audience: campaignAudienceSchema.default({}),
});

export const emailOptOutSchema = z.object({ customerId: z.string(), emailOptOutAt: z.string().nullable() });

export const campaignsContract = {
  'campaigns.list': method({ input: z.object({}), output: z.object({ campaigns: z.array(campaignSchema) }), access: 'staff', write: false }),
  'campaigns.get': method({ input: z.object({ id: idSchema }), output: campaignDetailSchema, access: 'staff', write: false }),
  'campaigns.create': method({ input: campaignCreateSchema, output: campaignSchema, access: 'staff', write: true }),
  /** Who an audience reaches now (unsubscribed customers left out and counted). */
  'campaigns.preview': method({ input: z.object({ audience: campaignAudienceSchema }), output: campaignPreviewSchema, access: 'staff', write: false }),
  /**
   * Freezes the audience into recipients and queues one email each (one transaction), then delivers.
   * Sending a campaign again reaches only customers who joined its audience since: nobody gets it twice.
   */
  'campaigns.send': method({ input: z.object({ id: idSchema }), output: campaignDetailSchema, access: 'staff', write: false }),
  /** Marks a customer unsubscribed from campaign emails (or subscribed again); audited. */
  'customers.setEmailOptOut': method({
    input: z.object({ id: idSchema, optOut: z.boolean() }),
    output: emailOptOutSchema,
    access: 'staff',
    write: true,
  }),
  'customers.emailOptOut': method({ input: z.object({ id: idSchema }), output: emailOptOutSchema, access: 'viewer', write: false }),
} as const;
