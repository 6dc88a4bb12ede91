import { Badge, Box, Group, Kbd, Loader, Modal, ScrollArea, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowRight, IconCalendarRepeat, IconFileInvoice, IconSearch, IconUser, type Icon } from '@tabler/icons-react';
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { INVOICE_STATUS_LABELS } from '../../../components/InvoiceStatusBadge';
import { useDates } from '../../../lib/dates';
import { asCurrency } from '../../../lib/money';
import { formatMoney } from '@shared/domain/money';
import { useSession } from '../../../lib/auth';
import { useSearchAnything } from '../api/use-search-anything';
import { paletteGroups, type PaletteItem, type PalettePage } from '../palette-items';
import classes from './CommandPalette.module.css';

const KIND_ICONS: Record<PaletteItem['kind'], Icon> = {
  page: IconArrowRight,
  customer: IconUser,
  invoice: IconFileInvoice,
  subscription: IconCalendarRepeat,
};

const SUBSCRIPTION_STATUS: Record<string, string> = {
  trialing: 'Trial',
  active: 'Active',
  past_due: 'Past due',
  paused: 'Paused',
  canceled: 'Canceled',
};

export interface CommandPaletteProps {
  opened: boolean;
  onClose: () => void;
  /** The pages this user may open, in the navigation's order. */
  pages: (PalettePage & { icon?: Icon })[];
}

/**
 * Search anything (Ctrl+K / ⌘K): type, move with the arrows, Enter to open,
 * Esc to close. Built on a Modal and an ARIA combobox + listbox, so it works
 * from the keyboard alone and reads well to a screen reader.
 */
export function CommandPalette({ opened, onClose, pages }: CommandPaletteProps) {
  return (
    <Modal.Root opened={opened} onClose={onClose} centered={false} yOffset="12vh" size={640} radius="lg" transitionProps={{ duration: 0 }}>
      <Modal.Overlay />
      <Modal.Content aria-label="Search anything">{opened && <PaletteBody onClose={onClose} pages={pages} />}</Modal.Content>
    </Modal.Root>
  );
}

function PaletteBody({ onClose, pages }: Omit<CommandPaletteProps, 'opened'>) {
  const navigate = useNavigate();
  const dates = useDates();
  const { business } = useSession();
  const locale = business.locale || 'en-US';
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 120);
  const search = useSearchAnything(debounced);
  const listId = useId();
  const [activeKey, setActiveKey] = useState<string | null>(null);
  // Enter pressed while the answer for the typed text was on its way.
  const enterPending = useRef(false);
  const listRef = useRef<HTMLDivElement>(null);
  // Focused in the same commit that opens the palette (no fade-in, and not the focus trap's later
  // tick): "Ctrl+K ann" typed in one go must not lose its first letters to the page behind.
  const inputRef = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => inputRef.current?.focus(), []);

  const typed = query.trim().length > 0;
  // The answer belongs to what is in the box now (not to a previous query still on screen).
  const settled = !typed || (debounced === query && !search.isFetching && !search.isPlaceholderData);
  const results = typed && debounced.trim() ? search.data : undefined;
  const groups = useMemo(() => paletteGroups(typed ? debounced : '', pages, results), [typed, debounced, pages, results]);
  const items = useMemo(() => groups.flatMap((g) => g.items), [groups]);
  const icons = useMemo(() => new Map(pages.map((p) => [p.path, p.icon])), [pages]);

  const indexOf = useMemo(() => new Map(items.map((item, i) => [item.key, i])), [items]);
  // The chosen item stays chosen while it is listed; a new answer starts at its first item.
  const active = (activeKey !== null ? indexOf.get(activeKey) : undefined) ?? 0;
  const setActive = (i: number) => setActiveKey(items[i]?.key ?? null);

  const open = (item: PaletteItem | undefined) => {
    if (!item) return;
    onClose();
    void navigate(item.to);
  };

  // Once the answer to what was typed is here, a pending Enter opens its first item.
  useEffect(() => {
    if (enterPending.current && settled) {
      enterPending.current = false;
      open(items[0]);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs when the answer settles
  }, [settled, items]);

  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const count = items.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (count === 0) return;
      setActive((active + (event.key === 'ArrowDown' ? 1 : -1) + count) % count);
    } else if (event.key === 'Home' && event.ctrlKey) {
      setActive(0);
    } else if (event.key === 'End' && event.ctrlKey) {
      setActive(Math.max(0, count - 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (settled) open(items[active]);
      else enterPending.current = true;
    }
  };

  const optionId = (i: number) => `${listId}-option-${i}`;

  return (
    <Stack gap={0}>
      <TextInput
        size="lg"
        variant="unstyled"
        px="md"
        className={classes.input}
        placeholder="Search customers, invoices, subscriptions or pages"
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        ref={inputRef}
        data-autofocus
        leftSection={<IconSearch size={20} stroke={1.8} />}
        rightSection={search.isFetching ? <Loader size="xs" /> : <Kbd size="xs">Esc</Kbd>}
        rightSectionWidth={48}
        role="combobox"
        aria-label="Search anything"
        aria-expanded={items.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={items.length > 0 ? optionId(active) : undefined}
        autoComplete="off"
        spellCheck={false}
      />
      <ScrollArea.Autosize mah="min(440px, 60vh)" type="auto" viewportRef={listRef}>
        <div id={listId} role="listbox" aria-label="Results" className={classes.list}>
          {groups.map((group) => (
            <div key={group.title} role="group" aria-label={group.title}>
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" className={classes.groupTitle}>
                {group.title}
              </Text>
              {group.items.map((item) => {
                const i = indexOf.get(item.key) ?? 0;
                const ItemIcon = (item.kind === 'page' && icons.get(item.to)) || KIND_ICONS[item.kind];
                return (
                  <UnstyledButton
                    key={item.key}
                    id={optionId(i)}
                    role="option"
                    aria-selected={i === active}
                    data-index={i}
                    data-active={i === active || undefined}
                    tabIndex={-1}
                    className={classes.option}
                    onMouseMove={() => i !== active && setActive(i)}
                    onClick={() => open(item)}
                  >
                    <Group gap="sm" wrap="nowrap">
                      <Box className={classes.icon}>
                        <ItemIcon size={18} stroke={1.7} />
                      </Box>
                      <Box miw={0} style={{ flex: 1 }}>
                        <Text size="sm" fw={550} truncate>
                          {item.label}
                        </Text>
                        {'detail' in item && item.detail && (
                          <Text size="xs" c="dimmed" truncate>
                            {item.kind === 'invoice' ? `${item.detail} · ${dates.day(item.issueDate)}` : item.detail}
                          </Text>
                        )}
                      </Box>
                      <ItemAside item={item} locale={locale} />
                    </Group>
                  </UnstyledButton>
                );
              })}
            </div>
          ))}
          {typed && settled && items.length === 0 && !search.isError && (
            <Text size="sm" c="dimmed" ta="center" py="xl" px="md">
              Nothing matches “{query.trim()}”. Try a name, an email or an invoice number.
            </Text>
          )}
          {search.isError && (
            <Text size="sm" c="red" ta="center" py="xl" px="md" role="alert">
              {search.error.message}
            </Text>
          )}
        </div>
      </ScrollArea.Autosize>
      <Group gap="lg" px="md" py={8} className={classes.footer}>
        <Hint keys={['↑', '↓']} label="to move" />
        <Hint keys={['Enter']} label="to open" />
        <Hint keys={['Esc']} label="to close" />
      </Group>
    </Stack>
  );
}

function ItemAside({ item, locale }: { item: PaletteItem; locale: string }) {
  if (item.kind === 'invoice') {
    return (
      <Group gap="xs" wrap="nowrap">
        <Text size="sm" ff="monospace" className={classes.amount}>
          {formatMoney(item.total, asCurrency(item.currency), locale)}
        </Text>
        <Badge size="sm" variant="light" color={item.status === 'paid' ? 'green' : item.status === 'open' ? 'blue' : item.status === 'uncollectible' ? 'red' : 'gray'}>
          {INVOICE_STATUS_LABELS[item.status]}
        </Badge>
      </Group>
    );
  }
  if (item.kind === 'subscription') {
    return (
      <Badge size="sm" variant="light" color={item.status === 'canceled' ? 'gray' : item.status === 'past_due' ? 'red' : 'green'}>
        {SUBSCRIPTION_STATUS[item.status] ?? item.status}
      </Badge>
    );
  }
  if (item.kind === 'page') {
    return (
      <Text size="xs" c="dimmed">
        Page
      </Text>
    );
  }
  return null;
}

function Hint({ keys, label }: { keys: string[]; label: string }) {
  return (
    <Group gap={4} wrap="nowrap">
      {keys.map((k) => (
        <Kbd key={k} size="xs">
          {k}
        </Kbd>
      ))}
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}
