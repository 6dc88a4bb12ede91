import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconRepeat } from '@tabler/icons-react';

export function Logo({ size = 'md', withName = true }: { size?: 'md' | 'lg'; withName?: boolean }) {
  const large = size === 'lg';
  return (
    <Group gap={large ? 'sm' : 8} wrap="nowrap">
      <ThemeIcon size={large ? 40 : 30} radius="md" variant="gradient" gradient={{ from: 'indigo', to: 'cyan', deg: 135 }}>
        <IconRepeat size={large ? 24 : 18} stroke={2.2} />
      </ThemeIcon>
      {withName && (
        <Text fw={700} fz={large ? 26 : 18} lh={1} style={{ letterSpacing: '-0.02em' }}>
          Recurra
        </Text>
      )}
    </Group>
  );
}
