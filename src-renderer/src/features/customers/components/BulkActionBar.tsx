import { ActionBar, Button, Menu, Text } from '@mantine/core';
import { IconCategory, IconChevronUp, IconDownload, IconTag, IconTagOff, IconUserCheck, IconUserOff, type Icon } from '@tabler/icons-react';
import { useCan } from '../../../lib/auth';
import type { BulkKind } from '../bulk-change';
import { customersCount, formatCount } from '../customer-format';
import { isAllMatching } from '../selection';
import { useCustomerList } from '../stores/customer-list-store';

const BULK_BUTTONS: { kind: BulkKind; label: string; icon: Icon }[] = [
  { kind: 'addTag', label: 'Add tag', icon: IconTag },
  { kind: 'removeTag', label: 'Remove tag', icon: IconTagOff },
  { kind: 'setSegment', label: 'Set segment', icon: IconCategory },
];

interface BulkActionBarProps {
  /** How many are selected (all matching: the total). */
  count: number;
  total: number;
  onChange(kind: BulkKind): void;
  onExport(): void;
}

/** Floats at the bottom while rows are selected; viewers may only export. */
export function BulkActionBar({ count, total, onChange, onExport }: BulkActionBarProps) {
  const canEdit = useCan('staff');
  const allMatching = useCustomerList((s) => isAllMatching(s.selection));
  const anyMatching = useCustomerList((s) => s.selection.kind === 'all');
  const { selectAllMatching, clearSelection } = useCustomerList.getState();

  return (
    <ActionBar
      opened={count > 0}
      onClose={clearSelection}
      aria-label="Selected customers"
      shadow="lg"
      radius="lg"
      // centred over the page, not the window: the navigation stays uncovered
      position={{ bottom: 24, left: 'var(--app-shell-navbar-offset, 0px)', right: 0 }}
      style={{ gap: 8, flexWrap: 'wrap', justifyContent: 'center', maxWidth: 'calc(100% - 32px)' }}
    >
      <Text size="sm" fw={600} px={4} data-testid="selection-count">
        {allMatching ? `All ${customersCount(count)} selected` : anyMatching ? `${formatCount(count)} of ${formatCount(total)} selected` : `${formatCount(count)} selected`}
      </Text>
      {!allMatching && total > count && (
        <Button variant="subtle" size="compact-sm" onClick={selectAllMatching} title={`Select all ${customersCount(total)} the search and filters match`}>
          Select all {formatCount(total)}
        </Button>
      )}
      <ActionBar.Divider />
      {canEdit && (
        <>
          {BULK_BUTTONS.map(({ kind, label, icon: Icon }) => (
            <Button key={kind} variant="default" size="compact-sm" leftSection={<Icon size={15} />} onClick={() => onChange(kind)}>
              {label}
            </Button>
          ))}
          <Menu position="top" shadow="md" withinPortal>
            <Menu.Target>
              <Button variant="default" size="compact-sm" leftSection={<IconUserCheck size={15} />} rightSection={<IconChevronUp size={14} />}>
                Status
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconUserCheck size={16} />} onClick={() => onChange('activate')}>
                Activate
              </Menu.Item>
              <Menu.Item leftSection={<IconUserOff size={16} />} onClick={() => onChange('deactivate')}>
                Deactivate
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </>
      )}
      <Button variant="default" size="compact-sm" leftSection={<IconDownload size={15} />} onClick={onExport}>
        Export
      </Button>
      <ActionBar.CloseButton aria-label="Clear the selection" />
    </ActionBar>
  );
}
