import { Alert, Anchor, Button, Divider, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { FormAlert } from '../../../components/FormAlert';
import { QueryError } from '../../../components/QueryError';
import { applyServerError } from '../../../lib/form-errors';
import { useBusinesses } from '../api/use-businesses';
import { useLogin } from '../api/use-login';
import { loginFormSchema, type LoginFormValues } from '../login-form';
import { useSessionNotice } from '../stores/session-notice-store';
import { StartCard } from './StartLayout';

/** Login to the business picked on the previous screen (or used last). */
export function LoginScreen() {
  const { businessId = '' } = useParams();
  const businesses = useBusinesses();
  const business = businesses.data?.find((b) => b.id === businessId);

  if (businesses.isPending) return <CenteredLoader />;
  if (businesses.isError) {
    return (
      <StartCard>
        <QueryError title="Could not open this business" error={businesses.error} onRetry={() => void businesses.refetch()} />
      </StartCard>
    );
  }
  if (!business) {
    return (
      <StartCard>
        <Stack gap="md">
          <Title order={2} fz="h3">
            This business is not on this PC
          </Title>
          <Text size="sm" c="dimmed">
            It may have been removed or moved to another folder.
          </Text>
          <Button component={Link} to="/start/businesses" variant="light">
            Choose another business
          </Button>
        </Stack>
      </StartCard>
    );
  }
  return <LoginForm businessId={business.id} businessName={business.name} />;
}

function LoginForm({ businessId, businessName }: { businessId: string; businessName: string }) {
  const login = useLogin();
  const notice = useSessionNotice();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<LoginFormValues>({
    initialValues: { email: '', password: '' },
    validate: schemaResolver(loginFormSchema, { sync: true }),
  });

  const submit = form.onSubmit((values) => {
    setFormError(null);
    login.mutate(
      { businessId, ...values },
      {
        onSuccess: () => notice.clear(),
        onError: (error) => setFormError(applyServerError(form, error)),
      },
    );
  });

  return (
    <StartCard>
      <form onSubmit={submit} noValidate>
        <Stack gap="lg">
          <div>
            <Title order={2} fz="h3">
              Log in to {businessName}
            </Title>
            <Text c="dimmed" size="sm" mt={4}>
              Welcome back. Enter your email and password.
            </Text>
          </div>

          {notice.reason && (
            <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />} title="You were logged out">
              {notice.reason}
            </Alert>
          )}

          <Stack gap="sm">
            <TextInput label="Email" type="email" autoComplete="username" autoFocus {...form.getInputProps('email')} />
            <PasswordInput label="Password" autoComplete="current-password" {...form.getInputProps('password')} />
          </Stack>

          <FormAlert message={formError} />
          <Button type="submit" size="md" loading={login.isPending}>
            Log in
          </Button>

          <Text size="xs" c="dimmed" ta="center" mt={-6}>
            Forgot your password? The owner can reset it. Owners:{' '}
            <Anchor component={Link} to={`/start/recover/${businessId}`} size="xs">
              use your recovery key
            </Anchor>
          </Text>
          <Divider />
          <Anchor component={Link} to="/start/businesses" size="sm" ta="center" onClick={() => notice.clear()}>
            Choose another business
          </Anchor>
        </Stack>
      </form>
    </StartCard>
  );
}
