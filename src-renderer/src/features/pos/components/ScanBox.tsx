import { Badge, Group, Loader, Paper, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconBarcode } from '@tabler/icons-react';
import { forwardRef } from 'react';
import { useMoney } from '../../../lib/money';
import type { FoundProduct } from './PosPage';
import classes from './Pos.module.css';
import { ProductCell } from '../../../components/ProductCell';

interface ScanBoxProps {
  value: string;
  onChange(value: string): void;
  results: FoundProduct[];
  searching: boolean;
  /** The highlighted match (-1: none: Enter looks the text up as a SKU). */
  active: number;
  onActive(index: number): void;
  onPick(product: FoundProduct): void;
  onSubmit(): void;
  /** +, -, Delete and the arrows act on the cart while the box is empty. */
  onCartKey(key: '+' | '-' | 'Delete' | 'ArrowUp' | 'ArrowDown'): void;
  error: string | null;
}

/** The one box the counter types and scans into, with the matches under it. */
export const ScanBox = forwardRef<HTMLInputElement, ScanBoxProps>(function ScanBox(
  { value, onChange, results, searching, active, onActive, onPick, onSubmit, onCartKey, error },
  ref,
) {
  const money = useMoney();
  const open = value.trim() !== '' && results.length > 0;
  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    const key = event.key;
    if (key === 'Enter') {
      event.preventDefault();
      onSubmit();
      return;
    }
    if (key === 'Escape') {
      if (value !== '') {
        event.preventDefault();
        onChange('');
      }
      return;
    }
    if (open && (key === 'ArrowDown' || key === 'ArrowUp')) {
      event.preventDefault();
      const next = key === 'ArrowDown' ? active + 1 : active - 1;
      onActive(next < -1 ? results.length - 1 : next >= results.length ? -1 : next);
      return;
    }
    if (value === '' && (key === '+' || key === '-' || key === 'Delete' || key === 'ArrowUp' || key === 'ArrowDown')) {
      event.preventDefault();
      onCartKey(key);
    }
  };
  return (
    <div className={classes.scan}>
      <TextInput
        ref={ref}
        size="xl"
        autoFocus
        autoComplete="off"
        spellCheck={false}
        aria-label="Scan or search products"
        placeholder="Scan a barcode, or type a name or SKU"
        leftSection={<IconBarcode size={26} stroke={1.5} />}
        rightSection={searching ? <Loader size="sm" /> : null}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        error={error}
        role="combobox"
        aria-expanded={open}
        aria-controls="pos-matches"
        aria-activedescendant={open && active >= 0 ? `pos-match-${active}` : undefined}
      />
      {open && (
        <Paper withBorder shadow="md" className={classes.matches} id="pos-matches" role="listbox" aria-label="Matching products">
          {results.map((p, i) => (
            <UnstyledButton
              key={p.id}
              id={`pos-match-${i}`}
              role="option"
              aria-selected={i === active}
              tabIndex={-1}
              className={classes.match}
              data-active={i === active || undefined}
              onMouseEnter={() => onActive(i)}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onPick(p)}
            >
              <Group justify="space-between" wrap="nowrap" gap="sm">
                <div style={{ minWidth: 0 }}>
                  <ProductCell name={p.name} sku={p.sku} size="md" truncate />
                </div>
                <Group gap="sm" wrap="nowrap">
                  {p.stock !== null && (
                    <Badge variant="light" color={p.stock <= 0 ? 'red' : 'gray'}>
                      {p.stock <= 0 ? 'Out of stock' : `${p.stock} in stock`}
                    </Badge>
                  )}
                  <Text fw={600} style={{ whiteSpace: 'nowrap' }}>
                    {money.format(p.price)}
                  </Text>
                </Group>
              </Group>
            </UnstyledButton>
          ))}
          <Text size="xs" c="dimmed" px="sm" py={6} className={classes.matchHint}>
            ↑ ↓ to pick, Enter to add · Enter with nothing picked adds the product whose SKU is exactly what you typed
          </Text>
        </Paper>
      )}
    </div>
  );
});
