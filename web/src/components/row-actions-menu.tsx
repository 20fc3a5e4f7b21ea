import { ActionIcon, Menu } from '@mantine/core';
import { IconDots } from '@tabler/icons-react';
import type { ReactNode } from 'react';

type RowActionsMenuProps = {
  /** Accessible name of the "…" button, e.g. "Actions for Maria". */
  label: string;
  isBusy: boolean;
  isDisabled?: boolean;
  /** The `Menu.Item`s. */
  children: ReactNode;
};

/** The "…" button at the end of a table row and the menu of actions it opens. */
export function RowActionsMenu({ label, isBusy, isDisabled, children }: RowActionsMenuProps) {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          disabled={isDisabled}
          loading={isBusy}
          aria-label={label}
        >
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>{children}</Menu.Dropdown>
    </Menu>
  );
}
