import { ActionIcon, Button, Group, Table, Text, TextInput, Tooltip } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { MoneyInput } from '../../../components/MoneyInput';
import type { PlanFormValues } from '../plan-form';
import { addTierRow, parseLimit, removeTierRow, tierStarts } from '../tiers';
import classes from './TiersEditor.module.css';

interface TiersEditorProps {
  form: UseFormReturnType<PlanFormValues>;
  readOnly: boolean;
}

/** Rows "units 1 to N" with a unit price and a flat fee each; the last row is "and above". */
export function TiersEditor({ form, readOnly }: TiersEditorProps) {
  const rows = form.values.tiers;
  const starts = tierStarts(rows.map((r, i) => (i === rows.length - 1 ? null : parseLimit(r.upTo))));
  const setRows = (next: typeof rows) => {
    form.setFieldValue('tiers', next);
    form.clearFieldError('tiers');
  };
  // A message about the whole table ("limits must increase") goes as soon as any cell changes.
  const cell = (path: string) => {
    const props = form.getInputProps(path);
    return {
      ...props,
      onChange: (event: unknown) => {
        props.onChange(event);
        form.clearFieldError('tiers');
      },
    };
  };

  return (
    <div>
      <Table className={classes.table} verticalSpacing={6} horizontalSpacing="xs" withRowBorders={false} aria-label="Price tiers">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="38%">Units</Table.Th>
            <Table.Th>Unit price</Table.Th>
            <Table.Th>
              <Tooltip label="Charged once per period when any unit falls in the tier" withArrow multiline w={220}>
                <span className={classes.hint}>Flat fee</span>
              </Tooltip>
            </Table.Th>
            <Table.Th w={40} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((_, i) => {
            const last = i === rows.length - 1;
            const start = starts[i];
            return (
              <Table.Tr key={i} data-testid={`tier-row-${i}`}>
                <Table.Td>
                  {last ? (
                    <Text size="sm" className={classes.units}>
                      {start === null ? 'The rest' : `${start} and above`}
                    </Text>
                  ) : (
                    <Group gap={6} wrap="nowrap" align="flex-start">
                      <Text size="sm" className={classes.units} miw={56}>
                        {start === null ? '…' : start} to
                      </Text>
                      <TextInput
                        aria-label={`Tier ${i + 1}: up to how many units`}
                        inputMode="numeric"
                        disabled={readOnly}
                        w={90}
                        {...cell(`tiers.${i}.upTo`)}
                      />
                    </Group>
                  )}
                </Table.Td>
                <Table.Td>
                  <MoneyInput aria-label={`Tier ${i + 1}: unit price`} disabled={readOnly} {...cell(`tiers.${i}.unitAmount`)} />
                </Table.Td>
                <Table.Td>
                  <MoneyInput aria-label={`Tier ${i + 1}: flat fee`} disabled={readOnly} {...cell(`tiers.${i}.flatAmount`)} />
                </Table.Td>
                <Table.Td>
                  {!readOnly && rows.length > 1 && (
                    <ActionIcon variant="subtle" color="gray" aria-label={`Remove tier ${i + 1}`} onClick={() => setRows(removeTierRow(rows, i))} mt={4}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {typeof form.errors.tiers === 'string' && (
        <Text size="sm" c="red" role="alert" mt={4}>
          {form.errors.tiers}
        </Text>
      )}
      {!readOnly && rows.length < 20 && (
        <Button variant="subtle" size="compact-sm" leftSection={<IconPlus size={14} />} onClick={() => setRows(addTierRow(rows))} mt={4}>
          Add tier
        </Button>
      )}
    </div>
  );
}
