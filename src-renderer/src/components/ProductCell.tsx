import { Text, type MantineSize } from '@mantine/core';
import type { ReactNode } from 'react';
import { RowTitle } from './RowTitle';

interface ProductCellProps {
  name: string;
  sku: string;
  /** Said after the SKU on its line ("3 in stock", "1 refunded already"), or nothing. */
  note?: string | false | null | undefined;
  /** A tag beside the name ("Archived"): the name is then a row title (bold). */
  tag?: string | false | undefined;
  size?: MantineSize;
  fw?: number;
  truncate?: boolean;
  /** More lines under the SKU (a warning, a refunded note). */
  children?: ReactNode;
}

/**
 * A product as every list shows it (the sales pages, the POS cart and scan box, the products
 * table, the product picker): its name over its SKU in monospace. A fragment, so it fits a table
 * cell, a Stack or a div alike.
 */
export function ProductCell({ name, sku, note, tag, size = 'sm', fw = 500, truncate, children }: ProductCellProps) {
  return (
    <>
      {tag !== undefined ? (
        <RowTitle title={name} tag={tag} />
      ) : (
        <Text size={size} fw={fw} truncate={truncate}>
          {name}
        </Text>
      )}
      <Text size="xs" c="dimmed" ff="monospace">
        {sku}
        {note ? ` · ${note}` : ''}
      </Text>
      {children}
    </>
  );
}
