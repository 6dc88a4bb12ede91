import { ActionIcon, Button, Group, Menu, Modal, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBookmark, IconBookmarkPlus, IconChevronDown, IconSettings, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { CustomerView } from '@shared/contract/customer-views';
import { useCan } from '../../../lib/auth';
import { useCustomerViews, useDeleteCustomerView } from '../api/use-customer-views';
import { AT_RISK_VIEW, describeList, fromContractFilter, sameList, toContractFilter } from '../list-filter';
import { useCustomerList } from '../stores/customer-list-store';
import { SaveViewModal } from './SaveViewModal';

const asList = (view: CustomerView) => ({ filter: view.filter, sort: { column: view.sort, direction: view.direction } });

/**
 * Saved customer lists: "Owes money in Retail" is one click away. Everyone in
 * the business sees the same views; staff and owners save and delete them.
 */
export function SavedViewsMenu() {
  const views = useCustomerViews();
  const remove = useDeleteCustomerView();
  const canEdit = useCan('staff');
  const filter = useCustomerList((s) => s.filter);
  const sort = useCustomerList((s) => s.sort);
  const [saving, setSaving] = useState(false);
  const [managing, setManaging] = useState(false);

  const list = views.data?.views ?? [];
  const current = { filter: toContractFilter(filter), sort };
  const showing = list.find((v) => sameList(asList(v), current));
  const showingBuiltIn = !showing && sameList(AT_RISK_VIEW, current);
  const label = showing?.name ?? (showingBuiltIn ? AT_RISK_VIEW.name : undefined);

  const open = (view: CustomerView) => useCustomerList.getState().showView(fromContractFilter(view.filter), asList(view).sort);
  const deleteView = (view: CustomerView) =>
    remove.mutate(
      { id: view.id },
      {
        onSuccess: () => notifications.show({ color: 'green', title: 'View deleted', message: `“${view.name}” is no longer saved.` }),
        onError: (e) => notifications.show({ color: 'red', title: 'Could not delete the view', message: e.message }),
      },
    );

  return (
    <>
      <Menu position="bottom-end" width={280} withinPortal>
        <Menu.Target>
          <Button
            variant={label ? 'light' : 'subtle'}
            color={label ? undefined : 'gray'}
            size="compact-sm"
            leftSection={<IconBookmark size={14} />}
            rightSection={<IconChevronDown size={12} />}
            aria-label={label ? `Saved views: showing ${label}` : 'Saved views'}
            maw={240}
          >
            <Text span size="sm" truncate>
              {label ?? 'Views'}
            </Text>
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Built in</Menu.Label>
          <Menu.Item
            onClick={() => useCustomerList.getState().showView(fromContractFilter(AT_RISK_VIEW.filter), AT_RISK_VIEW.sort)}
            color={showingBuiltIn ? 'blue' : undefined}
            title={describeList(fromContractFilter(AT_RISK_VIEW.filter), AT_RISK_VIEW.sort)}
          >
            {AT_RISK_VIEW.name}
          </Menu.Item>
          <Menu.Label>Saved views</Menu.Label>
          {list.length === 0 && (
            <Text size="xs" c="dimmed" px="sm" pb="xs">
              Filter or sort the list, then save it here to come back in one click.
            </Text>
          )}
          {list.map((view) => (
            <Menu.Item
              key={view.id}
              onClick={() => open(view)}
              color={view === showing ? 'blue' : undefined}
              rightSection={
                canEdit && (
                  <Tooltip label="Delete this view" withinPortal>
                    <ActionIcon
                      component="span"
                      role="button"
                      variant="subtle"
                      color="gray"
                      size="sm"
                      aria-label={`Delete the view ${view.name}`}
                      onClick={(event) => {
                        event.stopPropagation();
                        deleteView(view);
                      }}
                    >
                      <IconTrash size={14} />
                    </ActionIcon>
                  </Tooltip>
                )
              }
            >
              {view.name}
            </Menu.Item>
          ))}
          {canEdit && (
            <>
              <Menu.Divider />
              <Menu.Item leftSection={<IconBookmarkPlus size={15} />} onClick={() => setSaving(true)} disabled={Boolean(label)}>
                {label ? 'This list is saved' : 'Save this list as a view…'}
              </Menu.Item>
              {list.length > 0 && (
                <Menu.Item leftSection={<IconSettings size={15} />} onClick={() => setManaging(true)}>
                  Manage views…
                </Menu.Item>
              )}
            </>
          )}
        </Menu.Dropdown>
      </Menu>
      {saving && <SaveViewModal views={list} onClose={() => setSaving(false)} />}
      <Modal opened={managing} onClose={() => setManaging(false)} title="Saved views" size="lg">
        <Stack gap="xs">
          {list.length === 0 && <Text size="sm">No views are saved.</Text>}
          {list.map((view) => (
            <Group key={view.id} justify="space-between" wrap="nowrap" gap="md" data-testid="saved-view">
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={600} truncate>
                  {view.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {describeList(fromContractFilter(view.filter), asList(view).sort)} Saved by {view.createdBy ?? 'someone'}.
                </Text>
              </div>
              <Button variant="subtle" color="red" size="compact-sm" leftSection={<IconTrash size={14} />} onClick={() => deleteView(view)} aria-label={`Delete ${view.name}`} style={{ flexShrink: 0 }}>
                Delete
              </Button>
            </Group>
          ))}
        </Stack>
      </Modal>
    </>
  );
}
