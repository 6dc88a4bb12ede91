import { Paper, Text, ThemeIcon } from '@mantine/core';
import { IconMail, IconNote, IconPhone, IconPoint } from '@tabler/icons-react';
import type { TimelineEntry } from '@shared/contract/customers';
import { formatDateTime } from '../../../../lib/format';
import { isHandPickedDate } from '../../activity-form';
import { formatCalendarDate } from '../../customer-format';

const KIND = {
  note: { label: 'Note', icon: IconNote, color: 'yellow' },
  call: { label: 'Call', icon: IconPhone, color: 'teal' },
  email: { label: 'Email', icon: IconMail, color: 'blue' },
  system: { label: 'Recorded by Recurra', icon: IconPoint, color: 'gray' },
} as const;

export function timelineBullet(entry: TimelineEntry) {
  const { icon: Icon, color } = KIND[entry.kind];
  return (
    <ThemeIcon size={28} radius="xl" color={color} variant={entry.kind === 'system' ? 'default' : 'light'}>
      <Icon size={entry.kind === 'system' ? 14 : 16} />
    </ThemeIcon>
  );
}

/** Logged activity reads as a card; what Recurra recorded itself is a quiet line. */
export function TimelineEntryItem({ entry }: { entry: TimelineEntry }) {
  const when = isHandPickedDate(entry.kind, entry.occurredAt) ? formatCalendarDate(entry.occurredAt) : formatDateTime(entry.occurredAt);
  // What Recurra recorded needs no kind ("Note", "Call"): its title says what happened.
  const kind = entry.kind === 'system' ? null : KIND[entry.kind].label;
  const meta = [kind, entry.userName ? `by ${entry.userName}` : null, when].filter(Boolean).join(' · ');

  if (entry.kind === 'system') {
    return (
      <div data-testid="timeline-entry" data-kind="system">
        <Text size="sm" c="dimmed" pt={4}>
          {entry.title}
          {entry.body && ` · ${entry.body}`}
        </Text>
        <Text size="xs" c="dimmed">
          {meta}
        </Text>
      </div>
    );
  }
  return (
    <Paper withBorder radius="md" px="md" py="sm" data-testid="timeline-entry" data-kind={entry.kind}>
      {entry.title && (
        <Text fw={600} size="sm">
          {entry.title}
        </Text>
      )}
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {entry.body}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        {meta}
      </Text>
    </Paper>
  );
}
