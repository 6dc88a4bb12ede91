import { Avatar, Badge, Group, Stack, Text, Title } from '@mantine/core';
import type { Output } from '@shared/contract';
import { initials } from '../../../lib/format';
import { CustomerActions } from './CustomerActions';
import { CustomerStatusBadge } from './CustomerStatusBadge';

type Detail = Output<'customers.get'>;

export function CustomerHeader({ detail }: { detail: Detail }) {
  const { customer } = detail;
  const subtitle = [customer.company, customer.email].filter(Boolean).join(' · ');
  return (
    <Group justify="space-between" align="flex-start" wrap="wrap" gap="md" mb="lg">
      <Group gap="md" wrap="nowrap" miw={0} align="flex-start">
        <Avatar size={52} radius="xl" color="indigo" variant="light">
          {initials(customer.name)}
        </Avatar>
        <Stack gap={4} miw={0}>
          <Group gap="sm" wrap="wrap">
            <Title order={2} style={{ overflowWrap: 'anywhere' }}>
              {customer.name}
            </Title>
            <CustomerStatusBadge status={customer.status} size="lg" />
          </Group>
          {subtitle && (
            <Text c="dimmed" size="sm">
              {subtitle}
            </Text>
          )}
          {(customer.segment || customer.tags.length > 0) && (
            <Group gap={6} mt={2}>
              {customer.segment && (
                <Badge variant="light" color="indigo" radius="sm" tt="none">
                  {customer.segment}
                </Badge>
              )}
              {customer.tags.map((tag) => (
                <Badge key={tag} variant="outline" color="gray" radius="sm" tt="none">
                  {tag}
                </Badge>
              ))}
            </Group>
          )}
        </Stack>
      </Group>
      <CustomerActions detail={detail} />
    </Group>
  );
}
