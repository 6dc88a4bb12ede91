import { Anchor, Stack, Switch, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { FormAlert } from '../../../components/FormAlert';
import { SectionCard } from '../../../components/SectionCard';
import { useSetTwoFactorRequired, useTwoFactorRequirement } from '../api/use-two-factor-requirement';

/** Settings → Users, for owners: require two-factor login of everyone who logs in to this business. */
export function TwoFactorRequirementCard() {
  const status = useTwoFactorRequirement();
  const set = useSetTwoFactorRequired();
  const [error, setError] = useState<string | null>(null);
  const required = status.data?.requiredForEveryone ?? false;
  const ownOn = status.data?.enabled ?? false;

  return (
    <SectionCard title="Two-factor login for everyone">
      <Stack gap="sm" maw={640}>
        <Switch
          label="Require two-factor login for every user"
          description="Users without it are asked to set it up at their next login, before they can do anything else."
          checked={required}
          disabled={!status.data || set.isPending || (!ownOn && !required)}
          onChange={(event) => {
            setError(null);
            set.mutate({ required: event.currentTarget.checked }, { onError: (e) => setError(e.message) });
          }}
        />
        {status.data && !ownOn && !required && (
          <Text size="sm" c="dimmed">
            Turn it on for yourself first, in{' '}
            <Anchor component={Link} to="/settings/account" size="sm">
              Settings → Account
            </Anchor>
            .
          </Text>
        )}
        <FormAlert message={error} />
      </Stack>
    </SectionCard>
  );
}
