import { ActionIcon, Menu } from '@mantine/core';
import { IconDots } from '@tabler/icons-react';
import type { ReactNode } from 'react';

interface RowActionsMenuProps {
  /** The row's name, for the button's label: "Actions for Basic". */
  name: string;
  width: number;
  /** The `Menu.Item`s. */
  children: ReactNode;
}

/** The "…" button at the end of a table row and the menu it opens. */
export function RowActionsMenu({ name, width, children }: RowActionsMenuProps) {
  return (
    <Menu position="bottom-end" withinPortal shadow="md" width={width}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${name}`}>
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>{children}</Menu.Dropdown>
    </Menu>
  );
}
