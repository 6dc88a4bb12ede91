import { markdownToHtml } from '@shared/domain/markdown';

// The emails the business sends, written in MJML (a maintained email
// templating library): its output is table-based HTML with inline styles,
// which common mail clients (Outlook, Gmail, Apple Mail) render alike. Each
// template is compiled ONCE per process with {{placeholders}}; a message is
// then the compiled HTML with its values HTML-escaped and substituted, so a
// reminder run over 100,000 invoices costs a string replace per email, not an
// MJML compile (and an outbox row keeps only the template's name and values,
// see templateRef). Every email has a plain-text alternative.

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

type Vars = Record<string, string>;

const BRAND = '#1f2937';
const MUTED = '#6b7280';

function layout(body: string): string {
  return `<mjml>
  <mj-head>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text font-size="15px" line-height="22px" color="#111827" />
    </mj-attributes>
    <mj-preview>{{preview}}</mj-preview>
  </mj-head>
  <mj-body background-color="#f3f4f6">
    <mj-section padding="24px 0 8px 0">
      <mj-column>
        <mj-text font-size="18px" font-weight="bold" color="${BRAND}">{{business}}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="16px 8px" border-radius="6px">
      <mj-column>
${body}
      </mj-column>
    </mj-section>
    <mj-section padding="8px 0 24px 0">
      <mj-column>
        <mj-text font-size="12px" color="${MUTED}">{{footer}}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
}

const AMOUNT_TABLE = `        <mj-table font-size="15px" padding="8px 25px">
          <tr><td style="padding:4px 0;color:${MUTED}">Invoice</td><td style="padding:4px 0;text-align:right">{{number}}</td></tr>
          <tr><td style="padding:4px 0;color:${MUTED}">Due date</td><td style="padding:4px 0;text-align:right">{{dueDate}}</td></tr>
          <tr><td style="padding:4px 0;color:${MUTED};font-weight:bold">Amount due</td><td style="padding:4px 0;text-align:right;font-weight:bold">{{amountDue}}</td></tr>
        </mj-table>`;

const SOURCES = {
  invoice: layout(`        <mj-text>Hello {{customer}},</mj-text>
        <mj-text>Please find attached invoice {{number}} for {{total}}.</mj-text>
${AMOUNT_TABLE}
        <mj-text>Thank you for your business.</mj-text>`),
  reminder: layout(`        <mj-text>Hello {{customer}},</mj-text>
        <mj-text>{{lead}}</mj-text>
${AMOUNT_TABLE}
        <mj-text>If you have already paid, thank you, and please ignore this message.</mj-text>`),
  // A campaign (src-main/core/campaigns/campaign-email.ts): the owner's Markdown rendered safely, then the unsubscribe line.
  campaign: layout(`        <mj-text>{{markdown:body}}</mj-text>
        <mj-divider border-width="1px" border-color="#e5e7eb" />
        <mj-text font-size="12px" color="${MUTED}">{{unsubscribe}}</mj-text>`),
  // A receipt (transactional: sent even to a customer who unsubscribed from campaigns), with the PDF attached.
  receipt: layout(`        <mj-text>Hello {{customer}},</mj-text>
        <mj-text>This is your receipt {{number}} from {{business}} for {{total}}, paid on {{date}}. The receipt is attached as a PDF.</mj-text>
        <mj-text font-size="14px"><div style="white-space:pre-wrap">{{items}}</div></mj-text>
        <mj-table font-size="15px" padding="8px 25px">
          <tr><td style="padding:4px 0;color:${MUTED}">Receipt</td><td style="padding:4px 0;text-align:right">{{number}}</td></tr>
          <tr><td style="padding:4px 0;color:${MUTED}">Subtotal</td><td style="padding:4px 0;text-align:right">{{subtotal}}</td></tr>
          <tr><td style="padding:4px 0;color:${MUTED}">Discount</td><td style="padding:4px 0;text-align:right">{{discount}}</td></tr>
          <tr><td style="padding:4px 0;color:${MUTED}">Tax</td><td style="padding:4px 0;text-align:right">{{tax}}</td></tr>
          <tr><td style="padding:4px 0;color:${MUTED};font-weight:bold">Total paid</td><td style="padding:4px 0;text-align:right;font-weight:bold">{{total}}</td></tr>
          <tr><td style="padding:4px 0;color:${MUTED}">Paid by</td><td style="padding:4px 0;text-align:right">{{paidBy}}</td></tr>
        </mj-table>
        <mj-text>Thank you for your purchase. This email is a receipt for it, not a bill: nothing more is due.</mj-text>`),
  test: layout(`        <mj-text>This is a test message from Recurra.</mj-text>
        <mj-text>Your SMTP settings work: {{business}} can send invoices and payment reminders from {{from}}.</mj-text>`),
} as const;

export type TemplateName = keyof typeof SOURCES;
const compiled = new Map<TemplateName, Promise<string>>();

async function compile(name: TemplateName): Promise<string> {
  const mjml = (await import('mjml')).default;
  const result = await mjml(SOURCES[name], { validationLevel: 'strict', keepComments: false });
  if (result.errors.length) throw new Error(`Email template ${name}: ${result.errors.map((e) => e.formattedMessage).join('; ')}`);
  return result.html;
}

/** The compiled HTML of a template, with its {{placeholders}} (compiled once per process). */
export function template(name: TemplateName): Promise<string> {
  let html = compiled.get(name);
  if (!html) {
    html = compile(name);
    html.catch(() => compiled.delete(name));
    compiled.set(name, html);
  }
  return html;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * Fills the compiled HTML's placeholders with escaped values (an unknown one is left empty);
 * `{{markdown:key}}` is the value rendered from Markdown (markdownToHtml lets no raw HTML through).
 */
export function fill(html: string, vars: Vars): string {
  return html.replace(/\{\{(markdown:)?(\w+)\}\}/g, (_, markdown: string | undefined, key: string) =>
    markdown ? markdownToHtml(vars[key] ?? '') : escapeHtml(vars[key] ?? ''),
  );
}

/**
 * What an outbox row keeps in its `html` column for a templated email: the
 * template's name and its values (a few hundred bytes), not the ~9 KB of
 * compiled HTML: 100,000 reminders would otherwise add ~1 GB to the file
 * (and to sync). The HTML is filled in when the email is delivered.
 */
const REF_PREFIX = 'recurra-template:';

export function templateRef(name: TemplateName, vars: Vars): string {
  return `${REF_PREFIX}${name}:${JSON.stringify(vars)}`;
}

/** The HTML to send for a stored `html` value (a template reference, or HTML as is). */
export async function resolveHtml(stored: string): Promise<string> {
  if (!stored.startsWith(REF_PREFIX)) return stored;
  const rest = stored.slice(REF_PREFIX.length);
  const colon = rest.indexOf(':');
  const name = rest.slice(0, colon) as TemplateName;
  if (!(name in SOURCES)) throw new Error(`Unknown email template "${name}"`);
  return fill(await template(name), JSON.parse(rest.slice(colon + 1)) as Vars);
}

export interface InvoiceMailVars {
  business: string;
  customer: string;
  number: string;
  dueDate: string;
  total: string;
  amountDue: string;
}

const footer = (business: string) => `Sent by ${business}. Reply to this email with any question.`;

export function invoiceEmail(v: InvoiceMailVars): RenderedEmail {
  const subject = `Invoice ${v.number} from ${v.business}`;
  const vars = { ...v, preview: `Invoice ${v.number}: ${v.amountDue} due ${v.dueDate}`, footer: footer(v.business) };
  const text = [
    `Hello ${v.customer},`,
    '',
    `Please find attached invoice ${v.number} for ${v.total}.`,
    '',
    `Invoice: ${v.number}`,
    `Due date: ${v.dueDate}`,
    `Amount due: ${v.amountDue}`,
    '',
    'Thank you for your business.',
    '',
    `-- ${vars.footer}`,
  ].join('\n');
  return { subject, html: templateRef('invoice', vars), text };
}

/** The wording for a reminder `step` days from the due date (negative: before it). */
export function reminderLead(step: number, v: InvoiceMailVars): { subject: string; lead: string } {
  if (step < 0) {
    const n = -step;
    return {
      subject: `Reminder: invoice ${v.number} is due in ${n} day${n === 1 ? '' : 's'}`,
      lead: `A friendly reminder that invoice ${v.number} for ${v.amountDue} is due on ${v.dueDate}.`,
    };
  }
  if (step === 0) return { subject: `Invoice ${v.number} is due today`, lead: `Invoice ${v.number} for ${v.amountDue} is due today, ${v.dueDate}.` };
  return {
    subject: `Overdue: invoice ${v.number} (${step} day${step === 1 ? '' : 's'} past due)`,
    lead: `Our records show that invoice ${v.number} for ${v.amountDue} was due on ${v.dueDate} and is still unpaid. Please arrange payment at your earliest convenience.`,
  };
}

export function reminderEmail(step: number, v: InvoiceMailVars): RenderedEmail {
  const { subject, lead } = reminderLead(step, v);
  const vars = { ...v, lead, preview: lead, footer: footer(v.business) };
  const text = [
    `Hello ${v.customer},`,
    '',
    lead,
    '',
    `Invoice: ${v.number}`,
    `Due date: ${v.dueDate}`,
    `Amount due: ${v.amountDue}`,
    '',
    'If you have already paid, thank you, and please ignore this message.',
    '',
    `-- ${vars.footer}`,
  ].join('\n');
  return { subject, html: templateRef('reminder', vars), text };
}

export interface ReceiptMailVars {
  business: string;
  customer: string;
  number: string;
  date: string;
  /** One line per item, like "2 x Yoga mat (MAT-1)  $50.00". */
  items: string;
  subtotal: string;
  discount: string;
  tax: string;
  total: string;
  paidBy: string;
}

export function receiptEmail(v: ReceiptMailVars): RenderedEmail {
  const subject = `Your receipt ${v.number} from ${v.business}`;
  const vars = { ...v, preview: `Receipt ${v.number}: ${v.total} paid on ${v.date}`, footer: footer(v.business) };
  const text = [
    `Hello ${v.customer},`,
    '',
    `This is your receipt ${v.number} from ${v.business} for ${v.total}, paid on ${v.date}. The receipt is attached as a PDF.`,
    '',
    v.items,
    '',
    `Receipt: ${v.number}`,
    `Subtotal: ${v.subtotal}`,
    `Discount: ${v.discount}`,
    `Tax: ${v.tax}`,
    `Total paid: ${v.total}`,
    `Paid by: ${v.paidBy}`,
    '',
    'Thank you for your purchase. This email is a receipt for it, not a bill: nothing more is due.',
    '',
    `-- ${vars.footer}`,
  ].join('\n');
  return { subject, html: templateRef('receipt', vars), text };
}

export function testEmail(html: string, v: { business: string; from: string }): RenderedEmail {
  const vars = { ...v, preview: 'Your SMTP settings work', footer: footer(v.business) };
  return {
    subject: `Test message from ${v.business}`,
    html: fill(html, vars),
    text: `This is a test message from Recurra.\n\nYour SMTP settings work: ${v.business} can send invoices and payment reminders from ${v.from}.\n`,
  };
}
