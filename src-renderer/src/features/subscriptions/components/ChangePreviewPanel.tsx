import { Alert, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import type { ChangePreview } from '@shared/contract/billing';
import { InvoiceLinesTable, InvoiceTotals, readableDescription } from '../../../components/InvoiceLines';
import { PeriodText } from '../../../components/DateText';
import type { RpcError } from '../../../lib/ipc';
import { useDates } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';

interface PreviewState {
  data: ChangePreview | undefined;
  error: RpcError | null;
  isFetching: boolean;
  isPlaceholderData: boolean;
}

type PreviewInvoice = NonNullable<ChangePreview['nextInvoice']>;

/** The preview as main returned it: proration lines, any invoice issued at once, and the next invoice. */
export function ChangePreviewPanel({ reason, preview }: { reason: string | null; preview: PreviewState | null }) {
  const money = useMoney();
  const dates = useDates();
  const locale = money.locale;
  if (!preview) {
    return (
      <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />}>
        {reason}
      </Alert>
    );
  }
  if (preview.error) {
    return (
      <Alert variant="light" color="orange" icon={<IconAlertTriangle size={18} />} title="This change cannot be made" role="alert">
        {preview.error.message}
      </Alert>
    );
  }
  const data = preview.data;
  if (!data) {
    return (
      <Group gap="xs" py="md">
        <Loader size="xs" />
        <Text size="sm" c="dimmed">
          Working out the proration…
        </Text>
      </Group>
    );
  }

  return (
    <Stack gap="sm" data-testid="change-preview" opacity={preview.isPlaceholderData ? 0.6 : 1} aria-busy={preview.isFetching}>
      <Group justify="space-between">
        <Title order={4}>What this change will do</Title>
        <Text size="sm" c="dimmed">
          Takes effect <span title={data.effectiveOn}>{dates.day(data.effectiveOn)}</span>
        </Text>
      </Group>
      <Paper withBorder radius="md" p="sm">
        <Text size="sm" fw={600} mb={4}>
          Proration
        </Text>
        {data.prorationLines.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing is prorated.
          </Text>
        ) : (
          <Table verticalSpacing={6} aria-label="Proration lines" data-testid="proration-lines">
            <Table.Tbody>
              {data.prorationLines.map((line, i) => (
                <Table.Tr key={i}>
                  <Table.Td>
                    <Text size="sm">{readableDescription(line, locale)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      <PeriodText start={line.periodStart} end={line.periodEnd} />
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" fw={500} style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {money.format(line.amount)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {data.invoiceNow && <PreviewInvoiceCard title="Invoiced at once" invoice={data.invoiceNow} testId="preview-invoice-now" />}
      {data.nextInvoice && (
        <PreviewInvoiceCard
          title={data.trialEndsOn ? 'First invoice, when the trial ends' : 'Next invoice'}
          invoice={data.nextInvoice}
          testId="preview-next-invoice"
        />
      )}
    </Stack>
  );
}

function PreviewInvoiceCard({ title, invoice, testId }: { title: string; invoice: PreviewInvoice; testId: string }) {
  const dates = useDates();
  return (
    <Paper withBorder radius="md" p="sm" data-testid={testId}>
      <Group justify="space-between" mb={4}>
        <Text size="sm" fw={600}>
          {title}
        </Text>
        <Text size="sm" c="dimmed">
          Dated <span title={invoice.issueDate}>{dates.day(invoice.issueDate)}</span>
        </Text>
      </Group>
      <InvoiceLinesTable lines={invoice.lines} label={`${title} lines`} />
      <InvoiceTotals totals={{ ...invoice, creditApplied: invoice.total > 0 ? invoice.total - invoice.amountDue : 0 }} />
    </Paper>
  );
}
