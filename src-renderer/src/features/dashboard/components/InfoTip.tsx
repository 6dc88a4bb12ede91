import { ActionIcon, Tooltip } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';

/** A small "what does this mean?" icon; the explanation shows on hover or keyboard focus. */
export function InfoTip({ label, text }: { label: string; text: string }) {
  return (
    <Tooltip label={text} multiline w={300} withArrow position="top" events={{ hover: true, focus: true, touch: true }}>
      <ActionIcon variant="subtle" color="gray" size="sm" radius="xl" aria-label={`What is ${label}?`}>
        <IconInfoCircle size={15} stroke={1.7} />
      </ActionIcon>
    </Tooltip>
  );
}
