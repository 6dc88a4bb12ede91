import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { FormAlert } from '../../../components/FormAlert';
import { QueryError } from '../../../components/QueryError';
import { placeServerError } from '../../../lib/form-errors';
import { useReminderDays, useSaveReminderDays } from '../api/use-email';

/** "-3, 1, 7" -> [-3, 1, 7]; null names what is wrong. */
export function parseDays(text: string): { days: number[] } | { error: string } {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const days: number[] = [];
  for (const item of items) {
    if (!/^[-+]?\d+$/.test(item)) return { error: `"${item}" is not a whole number of days` };
    days.push(Number(item));
  }
  return { days };
}

export function describeDay(day: number): string {
  if (day < 0) return `${-day} day${day === -1 ? '' : 's'} before the due date`;
  if (day === 0) return 'on the due date';
  return `${day} day${day === 1 ? '' : 's'} after`;
}

/** Settings > Reminders: when payment reminders go out, relative to the due date. */
export function RemindersPanel() {
  const current = useReminderDays();
  if (current.isPending) return <CenteredLoader />;
  if (current.isError) return <QueryError title="Could not load the reminder settings" error={current.error} onRetry={() => void current.refetch()} />;
  return <RemindersForm days={current.data.reminders.days} />;
}

function RemindersForm({ days }: { days: number[] }) {
  const save = useSaveReminderDays();
  const [text, setText] = useState(days.join(', '));
  const [error, setError] = useState<string | null>(null);
  const parsed = parseDays(text);
  const submit = () => {
    if ('error' in parsed) return setError(parsed.error);
    setError(null);
    save.mutate(
      { days: parsed.days },
      {
        onSuccess: (r) => {
          setText(r.reminders.days.join(', '));
          notifications.show({ color: 'green', title: 'Reminders saved', message: r.reminders.days.length ? 'Reminders go out after each billing run.' : 'Payment reminders are off.' });
        },
        onError: (e) => setError(placeServerError(e, []).message),
      },
    );
  };
  return (
    <Paper withBorder radius="md" p="lg" maw={860}>
      <Title order={3} fz="md">
        Payment reminders
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        An email to customers with an unpaid invoice, on these days relative to its due date. They go out after each billing run, from the billing PC,
        each at most once per invoice, and stop when the invoice is paid or voided. After days with the app closed, only the latest one is sent.
      </Text>
      <Stack gap="sm">
        <TextInput
          label="Days"
          description="Negative before the due date, positive after; empty turns reminders off. Like -3, 1, 7, 14"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          maw={420}
          error={'error' in parsed ? parsed.error : undefined}
        />
        {'days' in parsed && parsed.days.length > 0 && (
          <Text size="sm">
            Sent {[...parsed.days].sort((a, b) => a - b).map(describeDay).join(', ')}.
          </Text>
        )}
        <FormAlert message={error} />
        <Group justify="flex-end">
          <Button onClick={submit} loading={save.isPending}>
            Save reminders
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
