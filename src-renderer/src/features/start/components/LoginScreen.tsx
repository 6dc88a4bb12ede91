import { Alert, Anchor, Button, Divider, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { IconInfoCircle, IconLockOpen } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { FormAlert } from '../../../components/FormAlert';
import { QueryError } from '../../../components/QueryError';
import { PlainForm } from '../../../components/PlainForm';
import { applyServerError, showServerError } from '../../../lib/form-errors';
import { RpcError } from '../../../lib/ipc';
import { useBusinesses } from '../api/use-businesses';
import { useLogin } from '../api/use-login';
import { loginFormSchema, type LoginFormValues } from '../login-form';
import { useSessionNotice } from '../stores/session-notice-store';
import { StartCard } from './StartLayout';
import { LockedBusinessCard } from './UnlockBusiness';

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
  if (business.locked) {
    // A file found without its registry row is known by its file name until it is unlocked.
    return <LockedBusinessCard businessId={business.id} businessName={business.nameKnown ? business.name : `${business.id}.sqlite`} />;
  }
  return <LoginForm businessId={business.id} businessName={business.name} />;
}

function LoginForm({ businessId, businessName }: { businessId: string; businessName: string }) {
  const login = useLogin();
  const notice = useSessionNotice();
  // Just unlocked with the recovery key (UnlockBusiness.tsx): say it worked, above the form.
  const unlocked = (useLocation().state as { unlocked?: boolean } | null)?.unlocked === true;
  const [formError, setFormError] = useState<string | null>(null);
  // With two-factor on, a good password leads to a second step: the code (main says so with field "code").
  const [codeStep, setCodeStep] = useState(false);
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
        onError: (error) => {
          if (error instanceof RpcError && error.field === 'code') setCodeStep(true);
          else setFormError(applyServerError(form, error));
        },
      },
    );
  });

  if (codeStep) {
    return (
      <CodeStep
        businessId={businessId}
        credentials={form.getValues()}
        onBack={() => {
          form.setFieldValue('password', '');
          setCodeStep(false);
        }}
      />
    );
  }

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

          {unlocked && (
            <Alert color="green" variant="light" icon={<IconLockOpen size={18} />} title={`${businessName} is unlocked`}>
              This PC has the key to its books again. Log in as usual.
            </Alert>
          )}

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

/** The second step of a login with two-factor on: the app's 6-digit code, or one of the recovery codes. */
function CodeStep({ businessId, credentials, onBack }: { businessId: string; credentials: LoginFormValues; onBack(): void }) {
  const login = useLogin();
  const notice = useSessionNotice();
  const [recovery, setRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  const send = (typed: string) => {
    setCodeError(null);
    setFormError(null);
    login.mutate(
      { businessId, ...credentials, code: typed },
      {
        onSuccess: () => notice.clear(),
        onError: (error) => {
          setCode('');
          showServerError(error, 'code', setCodeError, setFormError);
        },
      },
    );
  };
  const submit = () => {
    const typed = recovery ? code.trim() : code.replace(/\s/g, '');
    if (recovery ? typed.length < 8 : !/^\d{6}$/.test(typed)) {
      return setCodeError(recovery ? 'Enter one of your recovery codes' : 'Enter the 6 digits the app shows');
    }
    send(typed);
  };
  const switchMode = () => {
    setRecovery(!recovery);
    setCode('');
    setCodeError(null);
  };

  return (
    <StartCard>
      <PlainForm onSubmit={submit}>
        <Stack gap="lg">
          <div>
            <Title order={2} fz="h3">
              Two-factor login
            </Title>
            <Text c="dimmed" size="sm" mt={4}>
              {recovery
                ? 'Enter one of the recovery codes you saved when you turned two-factor on. Each works once.'
                : `Open the authenticator app on your phone and enter the 6-digit code for Recurra (${credentials.email}).`}
            </Text>
          </div>
          {recovery ? (
            <TextInput
              key="recovery"
              label="Recovery code"
              placeholder="XXXX-XXXX-XXXX-XXXX"
              autoComplete="off"
              autoFocus
              value={code}
              onChange={(event) => setCode(event.currentTarget.value)}
              error={codeError}
              styles={{ input: { letterSpacing: '0.08em', fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
          ) : (
            <TextInput
              key="totp"
              label="Code"
              inputMode="numeric"
              autoComplete="one-time-code"
              autoFocus
              maxLength={7}
              value={code}
              onChange={(event) => {
                const next = event.currentTarget.value;
                setCode(next);
                // Six digits typed or pasted: log in without a click.
                if (/^\d{6}$/.test(next.replace(/\s/g, '')) && !login.isPending) send(next.replace(/\s/g, ''));
              }}
              error={codeError}
              size="lg"
              styles={{ input: { letterSpacing: '0.3em', textAlign: 'center' } }}
            />
          )}
          <FormAlert message={formError} />
          <Button type="submit" size="md" loading={login.isPending}>
            Log in
          </Button>
          <Group justify="space-between">
            <Anchor component="button" type="button" size="sm" onClick={onBack}>
              Back
            </Anchor>
            <Anchor component="button" type="button" size="sm" onClick={switchMode}>
              {recovery ? 'Use a code from the app' : 'Use a recovery code'}
            </Anchor>
          </Group>
        </Stack>
      </PlainForm>
    </StartCard>
  );
}
