import { Section } from './Section';
import { useCreditNotes } from '../api/use-credit-notes';
import { CreditNotesTable } from './CreditNotesTable';

/** A customer's credit notes, under their invoices; nothing while there are none. */
export function CustomerCreditNotes({ customerId }: { customerId: string }) {
  const notes = useCreditNotes({ customerId });
  if (!notes.data?.length) return null;
  return (
    <Section title="Credit notes" mt="md">
      <CreditNotesTable notes={notes.data} withInvoice />
    </Section>
  );
}
