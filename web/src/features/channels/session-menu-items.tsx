import { Menu } from '@mantine/core';
import { IconPlayerStop, IconQrcode, IconRefresh, IconUnlink } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { type SessionAction, sessionActionsFor } from './channel-session';
import type { Channel } from './channels-api';
import { useRowSession } from './session-status-cell';

type SessionMenuItemsProps = {
  channel: Channel;
  onAction(action: SessionAction, channel: Channel): void;
};

const icons: Record<SessionAction, typeof IconQrcode> = {
  connect: IconQrcode,
  restart: IconRefresh,
  stop: IconPlayerStop,
  logout: IconUnlink,
};

/** A QR channel's session actions in its row menu (admins), as its session's state allows. */
export function SessionMenuItems({ channel, onAction }: SessionMenuItemsProps) {
  const { t } = useTranslation();
  const { status } = useRowSession(channel.id);
  const actions = sessionActionsFor(status, channel.status === 'disabled');
  return (
    <>
      <Menu.Label>{t('channels.session.menuLabel')}</Menu.Label>
      {actions.map((action) => {
        const Icon = icons[action];
        return (
          <Menu.Item
            key={action}
            color={action === 'logout' ? 'red' : undefined}
            leftSection={<Icon size={16} />}
            onClick={() => onAction(action, channel)}
          >
            {t(`channels.session.actions.${action}`)}
          </Menu.Item>
        );
      })}
      <Menu.Divider />
    </>
  );
}
