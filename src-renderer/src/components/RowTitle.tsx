import { Badge, Group, Text } from '@mantine/core';

interface RowTitleProps {
  title: string;
  /** A small tag after the title ("Archived", "You"), or nothing. */
  tag?: string | false;
  monospace?: boolean;
}

/** The bold first line of a table row, with an optional tag beside it. */
export function RowTitle({ title, tag, monospace = false }: RowTitleProps) {
  return (
    <Group gap={8} wrap="nowrap">
      <Text size="sm" fw={600} ff={monospace ? 'monospace' : undefined}>
        {title}
      </Text>
      {tag && (
        <Badge size="xs" variant="outline" color="gray">
          {tag}
        </Badge>
      )}
    </Group>
  );
}
