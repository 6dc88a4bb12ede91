import { Alert, Button, Checkbox, Group, NumberInput, Paper, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCircleCheck, IconMailForward } from '@tabler/icons-react';
import { useState } from 'react';
import type { SmtpSettings } from '@shared/contract/email';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { FormAlert } from '../../../components/FormAlert';
import { QueryError } from '../../../components/QueryError';
import { applyServerError, placeServerError } from '../../../lib/form-errors';
import { useSaveSmtpSettings, useSendTestEmail, useSmtpSettings } from '../api/use-email';

interface Values {
  host: string;
  port: number | string;
  user: string;
  from: string;
  secure: boolean;
  password: string;
}

/** Settings > Email: the owner's SMTP server. The password goes to the system keychain; the form only says it is saved. */
export function EmailSettingsPanel() {
  const settings = useSmtpSettings();
  if (settings.isPending) return <CenteredLoader />;
  if (settings.isError) return <QueryError title="Could not load the email settings" error={settings.error} onRetry={() => void settings.refetch()} />;
  return <EmailSettingsForm saved={settings.data.email} />;
}

function EmailSettingsForm({ saved }: { saved: (SmtpSettings & { passwordSaved: boolean }) | null }) {
  const save = useSaveSmtpSettings();
  const test = useSendTestEmail();
  const [formError, setFormError] = useState<string | null>(null);
  const [testTo, setTestTo] = useState('');
  const [testResult, setTestResult] = useState<{ ok: boolean; text: string } | null>(null);
  const form = useForm<Values>({
    initialValues: { host: saved?.host ?? '', port: saved?.port ?? 587, user: saved?.user ?? '', from: saved?.from ?? '', secure: saved?.secure ?? false, password: '' },
  });

  const submit = form.onSubmit((values) => {
    setFormError(null);
    save.mutate(
      {
        host: values.host,
        port: typeof values.port === 'number' ? values.port : Number(values.port),
        user: values.user,
        from: values.from,
        secure: values.secure,
        ...(values.password ? { password: values.password } : {}),
      },
      {
        onSuccess: () => {
          form.setFieldValue('password', '');
          form.resetDirty({ ...values, password: '' });
          notifications.show({ color: 'green', title: 'Email settings saved', message: 'Invoices and reminders go through this server.' });
        },
        onError: (error) => setFormError(applyServerError(form, error)),
      },
    );
  });

  const sendTest = () => {
    setTestResult(null);
    test.mutate(
      { to: testTo },
      {
        onSuccess: (r) => setTestResult({ ok: true, text: `Sent. The server accepted it as ${r.messageId}.` }),
        onError: (e) => setTestResult({ ok: false, text: placeServerError(e, []).message }),
      },
    );
  };

  return (
    <Stack gap="lg" maw={860}>
      <form onSubmit={submit} noValidate>
        <Paper withBorder radius="md" p="lg">
          <Title order={3} fz="md">
            SMTP server
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            Invoices and payment reminders are sent through your own mail server, from your own address. Your email provider lists these settings.
          </Text>
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput label="Server" placeholder="smtp.example.com" withAsterisk style={{ gridColumn: 'span 2' }} {...form.getInputProps('host')} />
              <NumberInput label="Port" description="587, or 465 with TLS" min={1} max={65535} allowDecimal={false} withAsterisk {...form.getInputProps('port')} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="User name" placeholder="you@example.com" {...form.getInputProps('user')} />
              <PasswordInput
                label="Password"
                description={saved?.passwordSaved ? 'Saved in the system keychain. Type a new one to replace it.' : 'Kept in the system keychain, never in the business file.'}
                placeholder={saved?.passwordSaved ? 'saved' : ''}
                autoComplete="new-password"
                {...form.getInputProps('password')}
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Send from" description="The address customers see and reply to" placeholder="billing@example.com" withAsterisk {...form.getInputProps('from')} />
              <Checkbox mt={30} label="Use TLS from the start (port 465)" {...form.getInputProps('secure', { type: 'checkbox' })} />
            </SimpleGrid>
            <FormAlert message={formError} />
            <Group justify="flex-end">
              <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
                Save email settings
              </Button>
            </Group>
          </Stack>
        </Paper>
      </form>

      <Paper withBorder radius="md" p="lg">
        <Title order={3} fz="md">
          Send a test message
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          Checks the saved settings: the message goes out at once, and a refusal shows the server&apos;s own answer.
        </Text>
        <Group align="flex-end" gap="sm">
          <TextInput label="To" placeholder="you@example.com" value={testTo} onChange={(e) => setTestTo(e.currentTarget.value)} w={320} />
          <Button variant="default" leftSection={<IconMailForward size={16} />} onClick={sendTest} loading={test.isPending} disabled={!saved || testTo.trim() === ''}>
            Send test message
          </Button>
        </Group>
        {testResult && (
          <Alert mt="md" color={testResult.ok ? 'green' : 'red'} icon={testResult.ok ? <IconCircleCheck size={18} /> : undefined} title={testResult.ok ? 'Test message sent' : 'The test message was not sent'}>
            {testResult.text}
          </Alert>
        )}
      </Paper>
    </Stack>
  );
}
