import { Group, NumberInput, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { describeCadence, type Interval } from '@shared/domain/periods';
import { useMoney } from '../../../lib/money';
import { readTiers } from '../plan-form';
import { tierExample, tierRange, type TierRow } from '../tiers';

interface TierExampleProps {
  rows: TierRow[];
  model: 'graduated' | 'volume';
  interval: Interval;
  intervalCount: number;
}

/** "15 units cost $70.00 monthly", worked out tier by tier, as the engine will price it. */
export function TierExampleBox({ rows, model, interval, intervalCount }: TierExampleProps) {
  const money = useMoney();
  const [quantity, setQuantity] = useState<number | string>(15);
  const { tiers } = readTiers(rows, money.currency);
  const q = typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= 1 ? quantity : null;
  const example = tiers && q !== null ? tierExample(tiers, model, q) : null;
  const cadence = intervalCount >= 1 ? describeCadence({ interval, intervalCount }) : 'per period';
  const units = (n: number) => `${n} ${n === 1 ? 'unit' : 'units'}`;

  return (
    <Paper withBorder radius="md" p="sm" bg="var(--mantine-color-body)" data-testid="tier-example">
      <Group gap="sm" align="center" wrap="nowrap">
        <Text size="sm" fw={600}>
          Example:
        </Text>
        <NumberInput aria-label="Example quantity" value={quantity} onChange={setQuantity} min={1} max={1_000_000} allowDecimal={false} w={96} size="xs" />
        <Text size="sm" fw={600} data-testid="tier-example-total">
          {example ? `${units(q!)} cost ${money.format(example.total)} ${cadence}` : tiers ? 'Enter a quantity' : 'Complete the tiers to see what a quantity costs'}
        </Text>
      </Group>
      {example && example.parts.length > 0 && (
        <Stack gap={2} mt={6}>
          {example.parts.map((part) => (
            <Text key={part.tier} size="xs" c="dimmed">
              {model === 'volume'
                ? `All ${units(part.units)} at the ${tierRange(tiers!, part.tier)} tier's ${money.format(part.unitAmount)}`
                : `Units ${part.from === part.to ? part.from : `${part.from}–${part.to}`}: ${part.units} × ${money.format(part.unitAmount)}`}
              {part.flatAmount > 0 ? ` + ${money.format(part.flatAmount)} flat fee` : ''} = {money.format(part.amount)}
            </Text>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
