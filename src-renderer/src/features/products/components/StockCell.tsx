import { Badge, Group, Text } from '@mantine/core';
import type { Product } from '@shared/contract/products';

/** Stock on hand, with a Low badge at or below the product's warning level; "Not tracked" without stock. */
export function StockCell({ product }: { product: Product }) {
  if (product.stock === null) {
    return (
      <Text size="sm" c="dimmed">
        Not tracked
      </Text>
    );
  }
  return (
    <Group gap={6} justify="flex-end" wrap="nowrap">
      {product.lowStock && (
        <Badge color="orange" variant="light" size="sm">
          Low
        </Badge>
      )}
      <Text size="sm" fw={product.lowStock ? 600 : undefined}>
        {product.stock}
      </Text>
    </Group>
  );
}
