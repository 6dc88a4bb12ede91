import { Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { SessionWithKey } from '@shared/contract/auth';
import { PASSWORD_MIN } from '@shared/domain/fields';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { FormAlert } from '../../../components/FormAlert';
import { RecoveryKeyPanel } from '../../../components/RecoveryKeyPanel';
import { setSession } from '../../../lib/auth';
import { applyServerError } from '../../../lib/form-errors';
import { useBusinesses } from '../api/use-businesses';
import { useRecover } from '../api/use-recover';
import { recoverFormSchema, type RecoverFormValues } from '../recover-form';
import { StartCard } from './StartLayout';

/** An owner who forgot their password sets a new one with the business's recovery key. */
export function RecoverScreen() {
  const { businessId = '' } = useParams();
  const businesses = useBusinesses();
  const recover = useRecover();
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<SessionWithKey | null>(null);
  const form = useForm<RecoverFormValues>({
    initialValues: { email: '', recoveryKey: '', newPassword: '', confirmPassword: '' },
    validate: schemaResolver(recoverFormSchema, { sync: true }),
  });
  const business = businesses.data?.find((b) => b.id === businessId);

  if (businesses.isPending) return <CenteredLoader />;

  if (done) {
    const { recoveryKey, ...session } = done;
    return (
      <StartCard width={560}>
        <RecoveryKeyPanel
          recoveryKey={recoveryKey}
          businessName={session.business.name}
          title="Your password is changed"
          intro="The recovery key you used no longer works. Here is your new one."
          continueLabel={`Continue to ${session.business.name}`}
          onContinue={() => setSession(session)}
        />
      </StartCard>
    );
  }

  const submit = form.onSubmit(({ email, recoveryKey, newPassword }) => {
    setFormError(null);
    recover.mutate(
      { businessId, email, recoveryKey, newPassword },
      { onSuccess: setDone, onError: (error) => setFormError(applyServerError(form, error)) },
    );
  });

  return (
    <StartCard>
      <form onSubmit={submit} noValidate>
        <Stack gap="lg">
          <div>
            <Title order={2} fz="h3">
              Forgot your password?
            </Title>
            <Text c="dimmed" size="sm" mt={4}>
              An owner of {business?.name ?? 'this business'} can set a new password with the recovery key saved when the business was
              created. Staff and viewers: ask an owner to reset yours.
            </Text>
          </div>
          <Stack gap="sm">
            <TextInput label="Owner email" type="email" autoComplete="username" autoFocus {...form.getInputProps('email')} />
            <TextInput
              label="Recovery key"
              placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX"
              autoComplete="off"
              spellCheck={false}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.04em' } }}
              {...form.getInputProps('recoveryKey')}
            />
            <PasswordInput
              label="New password"
              description={`At least ${PASSWORD_MIN} characters`}
              autoComplete="new-password"
              {...form.getInputProps('newPassword')}
            />
            <PasswordInput label="Confirm new password" autoComplete="new-password" {...form.getInputProps('confirmPassword')} />
          </Stack>
          <FormAlert message={formError} />
          <Button type="submit" size="md" loading={recover.isPending}>
            Set new password
          </Button>
          <Anchor component={Link} to={`/start/login/${businessId}`} size="sm" ta="center">
            Back to log in
          </Anchor>
        </Stack>
      </form>
    </StartCard>
  );
}
