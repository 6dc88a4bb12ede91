import { Anchor, Badge, DataList, Group, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { PAYMENT_METHOD_LABELS, type Customer } from '@shared/domain/customers';
import { formatDateTime } from '../../../../lib/format';
import { PAYMENT_METHOD_HINTS } from '../../customer-form';
import { addressLines, formatDate } from '../../customer-format';
import { CustomerStatusBadge } from '../CustomerStatusBadge';

const NONE = (
  <Text span c="dimmed" size="sm">
    Not given
  </Text>
);

export function DetailsTab({ customer }: { customer: Customer }) {
  const address = addressLines(customer);
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Card title="Contact">
        <Item label="Email">
          <Anchor href={`mailto:${customer.email}`} size="sm">
            {customer.email}
          </Anchor>
        </Item>
        <Item label="Phone">
          {customer.phone ? (
            <Anchor href={`tel:${customer.phone.replace(/[^\d+]/g, '')}`} size="sm">
              {customer.phone}
            </Anchor>
          ) : (
            NONE
          )}
        </Item>
        <Item label="Company">{customer.company || NONE}</Item>
        <Item label="Address">
          {address.length > 0 ? (
            <Text size="sm" component="span" style={{ whiteSpace: 'pre-line' }}>
              {address.join('\n')}
            </Text>
          ) : (
            NONE
          )}
        </Item>
      </Card>
      <Card title="Billing and grouping">
        <Item label="Status">
          <CustomerStatusBadge status={customer.status} />
        </Item>
        <Item label="Payment method">
          <Text size="sm" component="span">
            {PAYMENT_METHOD_LABELS[customer.paymentMethod]}
          </Text>
          <Text size="xs" c="dimmed">
            {PAYMENT_METHOD_HINTS[customer.paymentMethod]}
          </Text>
        </Item>
        <Item label="Segment">{customer.segment || NONE}</Item>
        <Item label="Tags">
          {customer.tags.length > 0 ? (
            <Group gap={6}>
              {customer.tags.map((tag) => (
                <Badge key={tag} variant="outline" color="gray" radius="sm" tt="none">
                  {tag}
                </Badge>
              ))}
            </Group>
          ) : (
            NONE
          )}
        </Item>
        <Item label="Customer since">{formatDate(customer.createdAt)}</Item>
        <Item label="Last changed">{formatDateTime(customer.updatedAt)}</Item>
      </Card>
      <Paper withBorder radius="md" p="lg" style={{ gridColumn: '1 / -1' }}>
        <Title order={3} fz="md" mb="xs">
          Notes
        </Title>
        {customer.notes ? (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {customer.notes}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            No notes. Use Edit to add what is worth remembering, or log calls and emails on the Timeline.
          </Text>
        )}
      </Paper>
    </SimpleGrid>
  );
}

function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="lg">
      <Title order={3} fz="md" mb="sm">
        {title}
      </Title>
      <DataList labelWidth={140} gap="sm">
        {children}
      </DataList>
    </Paper>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}
