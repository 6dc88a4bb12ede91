import { Group, Radio, Stack, Text } from '@mantine/core';
import classes from './RolePicker.module.css';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES, type Role } from '@shared/domain/roles';

interface RolePickerProps {
  value: Role;
  onChange: (role: Role) => void;
  error?: React.ReactNode;
  label?: string;
}

/** The three roles as cards, each saying what it allows. */
export function RolePicker({ value, onChange, error, label = 'Role' }: RolePickerProps) {
  return (
    <Radio.Group label={label} value={value} onChange={(v) => onChange(v as Role)} error={error}>
      <Stack gap="xs" mt={6}>
        {ROLES.map((role) => (
          <Radio.Card key={role} value={role} radius="md" p="sm" className={classes.card}>
            <Group wrap="nowrap" align="flex-start" gap="sm">
              <Radio.Indicator mt={2} />
              <div>
                <Text fw={600} size="sm">
                  {ROLE_LABELS[role]}
                </Text>
                <Text size="xs" c="dimmed">
                  {ROLE_DESCRIPTIONS[role]}
                </Text>
              </div>
            </Group>
          </Radio.Card>
        ))}
      </Stack>
    </Radio.Group>
  );
}
