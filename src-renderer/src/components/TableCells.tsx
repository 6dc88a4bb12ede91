import { Table, Text } from '@mantine/core';
import { useMoney } from '../lib/money';
import { DateText } from './DateText';

/** A table cell holding a billing date. */
export function DateCell({ date }: { date: string | null | undefined }) {
  return (
    <Table.Td>
      <Text size="sm">
        <DateText date={date} />
      </Text>
    </Table.Td>
  );
}

/** A right-aligned amount in the business currency; `struck` crosses out one that was never received. */
export function MoneyCell({ amount, struck = false }: { amount: number; struck?: boolean }) {
  const money = useMoney();
  return (
    <Table.Td ta="right">
      <Text size="sm" td={struck ? 'line-through' : undefined}>
        {money.format(amount)}
      </Text>
    </Table.Td>
  );
}
