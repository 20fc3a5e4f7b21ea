import { ActionIcon, Alert, Group, Stack, Textarea, Tooltip } from '@mantine/core';
import { IconAlertCircle, IconClockX, IconSend } from '@tabler/icons-react';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-error';
import { describeError } from '../../i18n/describe-error';
import { useSendMessage } from './conversations-api';

/** Longest text message WhatsApp accepts (the content contract's limit). */
const maxTextLength = 4096;

/** 128 random bits in hex (crypto.randomUUID needs HTTPS; self-hosted LANs often lack it). */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

type MessageComposerProps = { channelId: string; contactId: string };

/** Sends a text message to the contact; explains the 24-hour window when the server refuses. */
export function MessageComposer({ channelId, contactId }: MessageComposerProps) {
  const { t } = useTranslation();
  const sendMessage = useSendMessage();
  const [text, setText] = useState('');
  // One key per message being written: a retry after a network error never sends twice.
  const idempotencyKey = useRef<string | null>(null);
  const trimmed = text.trim();

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (!trimmed || sendMessage.isPending) return;
    idempotencyKey.current ??= newIdempotencyKey();
    sendMessage.mutate(
      {
        channelId,
        to: { contactId },
        content: { type: 'text', text: trimmed },
        idempotencyKey: idempotencyKey.current,
      },
      {
        onSuccess: () => {
          setText('');
          idempotencyKey.current = null;
        },
      },
    );
  };

  const error = sendMessage.error;
  const isWindowClosed = isApiError(error) && error.code === 'OUTSIDE_SERVICE_WINDOW';

  return (
    <Stack gap="xs">
      {isWindowClosed ? (
        <Alert
          color="orange"
          variant="light"
          icon={<IconClockX size={18} />}
          title={t('conversations.windowClosedError.title')}
          withCloseButton
          closeButtonLabel={t('conversations.composer.dismiss')}
          onClose={() => sendMessage.reset()}
          data-testid="window-closed-alert"
        >
          {t('conversations.windowClosedError.advice')}
        </Alert>
      ) : error ? (
        <Alert
          color="red"
          variant="light"
          icon={<IconAlertCircle size={18} />}
          withCloseButton
          closeButtonLabel={t('conversations.composer.dismiss')}
          onClose={() => sendMessage.reset()}
        >
          {describeError(t, error)}
        </Alert>
      ) : null}
      <form onSubmit={send}>
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <Textarea
            flex={1}
            autosize
            minRows={1}
            maxRows={6}
            maxLength={maxTextLength}
            aria-label={t('conversations.composer.label')}
            placeholder={t('conversations.composer.placeholder')}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
                event.preventDefault();
                send();
              }
            }}
          />
          <Tooltip label={t('conversations.composer.send')}>
            <ActionIcon
              type="submit"
              size="lg"
              radius="xl"
              aria-label={t('conversations.composer.send')}
              disabled={!trimmed}
              loading={sendMessage.isPending}
            >
              <IconSend size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </form>
    </Stack>
  );
}
