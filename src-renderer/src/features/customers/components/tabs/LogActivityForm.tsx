import { Button, Center, Group, Paper, SegmentedControl, Stack, Textarea, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { IconMail, IconNote, IconPhone } from '@tabler/icons-react';
import { useState } from 'react';
import { FormAlert } from '../../../../components/FormAlert';
import { applyServerError } from '../../../../lib/form-errors';
import { useLogActivity } from '../../api/use-log-activity';
import { activityFormSchema, EMPTY_ACTIVITY, toLogActivityInput, todayIso, type ActivityFormValues } from '../../activity-form';

const KINDS = [
  { value: 'note', label: 'Note', icon: IconNote, subject: 'Prefers invoices by post' },
  { value: 'call', label: 'Call', icon: IconPhone, subject: 'Called about the renewal' },
  { value: 'email', label: 'Email', icon: IconMail, subject: 'Sent the new price list' },
] as const;

/** A note, call or email logged by hand; it lands at the top of the timeline. */
export function LogActivityForm({ customerId }: { customerId: string }) {
  const logActivity = useLogActivity();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<ActivityFormValues>({ initialValues: EMPTY_ACTIVITY, validate: schemaResolver(activityFormSchema, { sync: true }) });
  const kind = KINDS.find((k) => k.value === form.values.kind) ?? KINDS[0];

  const submit = form.onSubmit((values) => {
    setFormError(null);
    logActivity.mutate(toLogActivityInput(customerId, values), {
      onSuccess: () => form.setValues({ ...EMPTY_ACTIVITY, kind: values.kind }),
      onError: (error) => setFormError(applyServerError(form, error)),
    });
  });

  return (
    <Paper withBorder radius="md" p="md">
      <form onSubmit={submit} noValidate aria-label="Log activity">
        <Stack gap="sm">
          <SegmentedControl
            aria-label="Kind of activity"
            style={{ alignSelf: 'flex-start' }}
            data={KINDS.map(({ value, label, icon: Icon }) => ({
              value,
              label: (
                <Center style={{ gap: 6 }}>
                  <Icon size={15} />
                  <span>{label}</span>
                </Center>
              ),
            }))}
            {...form.getInputProps('kind')}
          />
          <Group align="flex-start" gap="sm" wrap="nowrap">
            <TextInput label="Subject (optional)" placeholder={kind.subject} style={{ flex: 1 }} {...form.getInputProps('title')} />
            <TextInput type="date" label="Date, if not today" max={todayIso()} w={180} {...form.getInputProps('occurredOn')} />
          </Group>
          <Textarea label="What happened" placeholder="What was said, asked or agreed" autosize minRows={2} maxRows={8} withAsterisk {...form.getInputProps('body')} />
          <FormAlert message={formError} />
          <Group justify="flex-end">
            <Button type="submit" leftSection={<kind.icon size={16} />} loading={logActivity.isPending}>
              Log {kind.label.toLowerCase()}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
