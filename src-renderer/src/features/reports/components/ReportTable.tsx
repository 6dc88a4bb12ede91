import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ReportColumn, ReportRow } from '@shared/contract/reports';
import { cellLink, cellText, isNumeric, keepsOnOneLine, visibleColumns, type CellFormat } from '../report-format';

interface ReportTableProps {
  columns: ReportColumn[];
  rows: ReportRow[];
  totals: ReportRow | null;
  format: CellFormat;
}

/** A page of a report: amounts on the right, names and invoice numbers as links, the report's sums in the footer. */
export function ReportTable({ columns, rows, totals, format }: ReportTableProps) {
  const shown = visibleColumns(columns);
  const firstHasTotal = totals !== null && shown[0] !== undefined && totals[shown[0].key] !== undefined;
  return (
    <Table.ScrollContainer minWidth={Math.max(640, shown.length * 96)} type="native">
      <Table verticalSpacing={8} horizontalSpacing="md" striped highlightOnHover data-testid="report-table">
        <Table.Thead>
          <Table.Tr>
            {shown.map((c) => (
              <Table.Th key={c.key} ta={isNumeric(c) ? 'right' : undefined} style={{ whiteSpace: 'nowrap' }}>
                {c.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row, i) => (
            <Table.Tr key={i} data-testid="report-row">
              {shown.map((c) => {
                const text = cellText(row[c.key], c, format);
                const to = text ? cellLink(c, row) : null;
                return (
                  <Table.Td key={c.key} ta={isNumeric(c) ? 'right' : undefined} data-key={c.key} style={keepsOnOneLine(c) ? { whiteSpace: 'nowrap' } : undefined}>
                    {to ? (
                      <Anchor component={Link} to={to} size="sm">
                        {text}
                      </Anchor>
                    ) : text ? (
                      text
                    ) : (
                      <Text span c="dimmed" size="sm">
                        —
                      </Text>
                    )}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
        {totals && (
          <Table.Tfoot data-testid="report-totals">
            <Table.Tr>
              {shown.map((c, i) => (
                <Table.Th key={c.key} ta={isNumeric(c) ? 'right' : undefined} data-key={c.key} style={{ whiteSpace: 'nowrap' }}>
                  {totals[c.key] !== undefined ? cellText(totals[c.key], c, format) : i === 0 && !firstHasTotal ? 'Total' : ''}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Tfoot>
        )}
      </Table>
    </Table.ScrollContainer>
  );
}
