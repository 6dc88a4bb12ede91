import { ActionIcon, Group, Kbd, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useEffect } from 'react';
import classes from './SearchButton.module.css';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
/** How the shortcut reads on this PC. */
export const SEARCH_SHORTCUT = isMac ? '⌘K' : 'Ctrl+K';

/** Ctrl+K (or ⌘K) anywhere in the app, even in a text box, toggles the search. */
export function useSearchShortcut(toggle: () => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        toggle();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle]);
}

/** The header's way in to the search: a box-like button on wide windows, an icon on narrow ones. */
export function SearchButton({ onClick }: { onClick: () => void }) {
  const label = `Search (${SEARCH_SHORTCUT})`;
  return (
    <>
      <UnstyledButton className={classes.button} onClick={onClick} aria-label={label} visibleFrom="md" aria-keyshortcuts="Control+K Meta+K">
        <Group gap={8} wrap="nowrap">
          <IconSearch size={16} stroke={1.8} />
          <Text size="sm" c="dimmed" style={{ flex: 1 }}>
            Search…
          </Text>
          <Kbd size="xs">{isMac ? '⌘' : 'Ctrl'}</Kbd>
          <Kbd size="xs">K</Kbd>
        </Group>
      </UnstyledButton>
      <Tooltip label={label} withArrow>
        <ActionIcon variant="default" size="lg" radius="md" onClick={onClick} aria-label={label} hiddenFrom="md" aria-keyshortcuts="Control+K Meta+K">
          <IconSearch size={18} stroke={1.8} />
        </ActionIcon>
      </Tooltip>
    </>
  );
}
