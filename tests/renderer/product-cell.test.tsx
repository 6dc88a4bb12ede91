import { MantineProvider, Table } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { theme } from '../../src-renderer/src/app/theme';
import { ProductCell } from '../../src-renderer/src/components/ProductCell';

function inCell(node: ReactNode) {
  render(
    <MantineProvider theme={theme} env="test">
      <Table>
        <Table.Tbody>
          <Table.Tr>
            <Table.Td data-testid="cell">{node}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </MantineProvider>,
  );
  return screen.getByTestId('cell');
}

describe('ProductCell', () => {
  it('shows the name over the SKU in monospace, with a note after the SKU and lines under it', () => {
    const cell = inCell(
      <ProductCell name="Yoga mat" sku="MAT-1" note="3 in stock">
        <span>1 of 2 refunded</span>
      </ProductCell>,
    );
    const lines = [...cell.children].map((e) => e.textContent);
    expect(lines).toEqual(['Yoga mat', 'MAT-1 · 3 in stock', '1 of 2 refunded']);
    expect(within(cell).getByText('MAT-1 · 3 in stock').getAttribute('style') ?? '').toContain('monospace');
  });

  it('without a note shows the SKU alone; with a tag, the name is a row title beside it', () => {
    const cell = inCell(<ProductCell name="Old tea" sku="TEA" note={false} tag="Archived" />);
    expect(within(cell).getByText('TEA').textContent).toBe('TEA');
    expect(within(cell).getByText('Old tea')).toBeTruthy();
    expect(within(cell).getByText('Archived')).toBeTruthy();
  });
});
