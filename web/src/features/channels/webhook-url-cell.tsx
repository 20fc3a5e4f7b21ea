import { ActionIcon, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** A channel's webhook URL, shortened, with a button that copies it whole. */
export function WebhookUrlCell({ url, channelName }: { url: string | null; channelName: string }) {
  const { t } = useTranslation();
  if (!url) {
    return (
      <Tooltip label={t('channels.webhookNotNeededHint')} multiline w={260}>
        <Text size="sm" c="dimmed" data-testid="channel-webhook-url">
          {t('channels.webhookNotNeeded')}
        </Text>
      </Tooltip>
    );
  }
  const copyLabel = t('channels.copyWebhook', { name: channelName });
  return (
    <Group gap={4} wrap="nowrap">
      <Text
        size="xs"
        ff="monospace"
        c="dimmed"
        truncate="start"
        maw={240}
        title={url}
        data-testid="channel-webhook-url"
      >
        {url}
      </Text>
      <CopyButton value={url} timeout={2000}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('channels.webhookCopied') : copyLabel}>
            <ActionIcon
              variant="subtle"
              color={copied ? 'teal' : 'gray'}
              onClick={copy}
              aria-label={copyLabel}
            >
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
