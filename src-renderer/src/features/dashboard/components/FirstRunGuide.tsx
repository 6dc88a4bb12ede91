import { Anchor, Badge, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCalendarRepeat, IconCircleCheck, IconPackage, IconUsers } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../../lib/auth';

interface FirstRunGuideProps {
  businessName: string;
  hasPlans: boolean;
  hasCustomers: boolean;
  hasSubscriptions: boolean;
}

/** A business with nothing to count yet: the three steps to the first numbers, with the ones done ticked. */
export function FirstRunGuide({ businessName, hasPlans, hasCustomers, hasSubscriptions }: FirstRunGuideProps) {
  const canEdit = useCan('staff');
  return (
    <Paper withBorder radius="md" p={{ base: 'lg', sm: 'xl' }} data-testid="first-run-guide">
      <Stack gap="lg" maw={640} mx="auto">
        <div>
          <Title order={3}>Three steps to your first numbers</Title>
          <Text c="dimmed" size="sm" mt={4}>
            {canEdit
              ? `${businessName}’s revenue, subscribers and churn appear here once customers pay you on a subscription.`
              : 'The numbers appear here once the owner or staff have set up plans, customers and subscriptions.'}
          </Text>
        </div>
        <Stack gap="md">
          <Step
            n={1}
            done={hasPlans}
            icon={<IconPackage size={18} />}
            title="Create a plan"
            text="What you sell and how often you bill it: “Monthly membership, $30.00 a month”."
            link={canEdit ? { to: '/plans', label: 'Make your first plan' } : null}
          />
          <Step
            n={2}
            done={hasCustomers}
            icon={<IconUsers size={18} />}
            title="Add your customers"
            text="One by one, or import your list from a spreadsheet saved as CSV."
            link={canEdit ? { to: '/customers', label: 'Add a customer' } : null}
          />
          <Step
            n={3}
            done={hasSubscriptions}
            icon={<IconCalendarRepeat size={18} />}
            title="Subscribe a customer to a plan"
            text="Recurra then bills them on their dates, collects card payments and counts everything here."
            link={canEdit ? { to: '/subscriptions', label: 'Start a subscription' } : null}
          />
        </Stack>
      </Stack>
    </Paper>
  );
}

function Step(props: { n: number; done: boolean; icon: ReactNode; title: string; text: string; link: { to: string; label: string } | null }) {
  return (
    <Group align="flex-start" wrap="nowrap" gap="md" data-testid={`first-run-step-${props.n}`} data-done={props.done}>
      <ThemeIcon size={36} radius="xl" variant={props.done ? 'filled' : 'light'} color={props.done ? 'teal' : 'indigo'}>
        {props.done ? <IconCircleCheck size={20} /> : props.icon}
      </ThemeIcon>
      <div style={{ flex: 1 }}>
        <Group gap="xs">
          <Text fw={600}>
            {props.n}. {props.title}
          </Text>
          {props.done && (
            <Badge color="teal" variant="light" size="sm">
              Done
            </Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {props.text}
        </Text>
        {props.link && !props.done && (
          <Anchor component={Link} to={props.link.to} size="sm" fw={600}>
            {props.link.label} →
          </Anchor>
        )}
      </div>
    </Group>
  );
}
