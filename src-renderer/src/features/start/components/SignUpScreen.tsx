import { Anchor, Button, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useState } from 'react';
import { Link } from 'react-router';
import { PASSWORD_MIN } from '@shared/domain/fields';
import { CurrencySelect } from '../../../components/CurrencySelect';
import { FormAlert } from '../../../components/FormAlert';
import { browserTimeZone, TimeZoneSelect } from '../../../components/TimeZoneSelect';
import { applyServerError } from '../../../lib/form-errors';
import { useBusinesses } from '../api/use-businesses';
import { useSignUp } from '../api/use-sign-up';
import { guessCurrency } from '../guess-currency';
import { signUpDefaults, signUpFormSchema, toSignUpInput, type SignUpFormValues } from '../sign-up-form';
import { StartCard } from './StartLayout';
import type { SessionWithKey } from '@shared/contract/auth';
import { setSession } from '../../../lib/auth';
import { RecoveryKeyPanel } from '../../../components/RecoveryKeyPanel';

/** Sign-up: a new business on this PC and its owner, who is logged in at once. */
export function SignUpScreen() {
  const businesses = useBusinesses();
  const signUp = useSignUp();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<SignUpFormValues>({
    initialValues: signUpDefaults(guessCurrency(navigator.language), browserTimeZone()),
    validate: schemaResolver(signUpFormSchema, { sync: true }),
  });
  const firstBusiness = businesses.data?.length === 0;
  const [created, setCreated] = useState<SessionWithKey | null>(null);

  const submit = form.onSubmit((values) => {
    setFormError(null);
    signUp.mutate(toSignUpInput(values), {
      onSuccess: setCreated,
      onError: (error) => setFormError(applyServerError(form, error)),
    });
  });

  if (created) {
    const { recoveryKey, ...session } = created;
    return (
      <StartCard width={560}>
        <RecoveryKeyPanel
          recoveryKey={recoveryKey}
          businessName={session.business.name}
          title={`${session.business.name} is ready. One last thing`}
          intro="Save your recovery key. It sets a new password if you forget yours, and it opens your books on a PC that has lost their key (after a reinstall, or on a new PC)."
          continueLabel="Continue to Recurra"
          onContinue={() => setSession(session)}
        />
      </StartCard>
    );
  }

  return (
    <StartCard width={560}>
      <form onSubmit={submit} noValidate>
        <Stack gap="lg">
          <div>
            <Title order={2} fz="h3">
              {firstBusiness ? 'Welcome to Recurra' : 'Create a business'}
            </Title>
            <Text c="dimmed" size="sm" mt={4}>
              {firstBusiness
                ? "Let's set up your business. It takes a minute, and everything stays on this PC."
                : 'A new business gets its own customers, plans and settings, kept in its own file on this PC.'}
            </Text>
          </div>

          <Stack gap="sm">
            <SectionLabel>Your business</SectionLabel>
            <TextInput label="Business name" placeholder="Sunrise Yoga" autoFocus withAsterisk {...form.getInputProps('businessName')} />
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <CurrencySelect label="Currency" description="What you bill your customers in" withAsterisk {...form.getInputProps('currency')} />
              <TimeZoneSelect label="Time zone" description="Decides when a billing day starts" withAsterisk {...form.getInputProps('timezone')} />
            </SimpleGrid>
          </Stack>

          <Stack gap="sm">
            <div>
              <SectionLabel>Your owner account</SectionLabel>
              <Text c="dimmed" size="xs">
                You will be the owner. You can add staff later in Settings.
              </Text>
            </div>
            <TextInput label="Your name" placeholder="Olivia Smith" autoComplete="name" withAsterisk {...form.getInputProps('ownerName')} />
            <TextInput
              label="Email"
              placeholder="you@example.com"
              type="email"
              autoComplete="username"
              withAsterisk
              {...form.getInputProps('ownerEmail')}
            />
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <PasswordInput
                label="Password"
                description={`At least ${PASSWORD_MIN} characters`}
                autoComplete="new-password"
                withAsterisk
                {...form.getInputProps('password')}
              />
              <PasswordInput
                label="Confirm password"
                description="Type it once more"
                autoComplete="new-password"
                withAsterisk
                {...form.getInputProps('confirmPassword')}
              />
            </SimpleGrid>
          </Stack>

          <FormAlert message={formError} />
          <Button type="submit" size="md" loading={signUp.isPending}>
            Create business
          </Button>
          {firstBusiness && (
            <Text size="sm" ta="center" c="dimmed">
              Moving from another PC?{' '}
              <Anchor component={Link} to="/start/businesses?restore=1">
                Restore a backup
              </Anchor>
              {' or '}
              <Anchor component={Link} to="/start/join">
                join a business from another PC
              </Anchor>
            </Text>
          )}
          {businesses.data && businesses.data.length > 0 && (
            <Text size="sm" ta="center">
              <Anchor component={Link} to="/start/businesses">
                Back to your businesses
              </Anchor>
            </Text>
          )}
        </Stack>
      </form>
    </StartCard>
  );
}

function SectionLabel({ children }: { children: string }) {
  return (
    <Text size="xs" fw={700} tt="uppercase" c="dimmed" style={{ letterSpacing: '0.06em' }}>
      {children}
    </Text>
  );
}
