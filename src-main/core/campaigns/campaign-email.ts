import { markdownToText } from '@shared/domain/markdown';
import { templateRef, type RenderedEmail } from '../email/templates';

/** The subject every campaign email's List-Unsubscribe mailto asks for. */
export const UNSUBSCRIBE_SUBJECT = 'unsubscribe';

/** The `List-Unsubscribe` header of a campaign email: a mailto to the business's from address. */
export function listUnsubscribeHeader(from: string): string {
  return `<mailto:${from}?subject=${UNSUBSCRIBE_SUBJECT}>`;
}

/** The line every campaign email ends with. */
export function unsubscribeLine(business: string, from: string): string {
  return `You get this email as a customer of ${business}. To stop these emails, reply with “unsubscribe” or write to ${from} with the subject “unsubscribe”.`;
}

/**
 * A campaign email: the owner's Markdown as HTML (rendered at delivery from the source kept in the outbox row,
 * no raw HTML let through) and as readable plain text, then the unsubscribe line.
 */
export function campaignEmail(v: { business: string; from: string; subject: string; body: string }): RenderedEmail {
  const unsubscribe = unsubscribeLine(v.business, v.from);
  const text = markdownToText(v.body);
  const preview = text.replace(/\s+/g, ' ').slice(0, 120);
  return {
    subject: v.subject,
    html: templateRef('campaign', { business: v.business, body: v.body, unsubscribe, preview, footer: `Sent by ${v.business}.` }),
    text: `${text}\n\n--\n${unsubscribe}\n`,
  };
}
