import {
  Alert,
  Avatar,
  Button,
  Center,
  Divider,
  EmptyState,
  Group,
  Loader,
  ScrollArea,
  Stack,
  Text,
} from '@mantine/core';
import { IconAlertCircle, IconMessageCircle, IconRobot } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/auth-context';
import { initialsOf } from '../../components/initials';
import { describeError } from '../../i18n/describe-error';
import type { ChannelProvider } from '../channels/channels-api';
import { canViewFlows } from '../flows/flow-permissions';
import { formatPhone } from '../sandbox/simulated-user';
import { contactLabelOf } from './conversation-list';
import {
  type Conversation,
  threadMessagesOf,
  useConversationMessagesQuery,
} from './conversations-api';
import { MessageBubble } from './message-bubble';
import { MessageComposer } from './message-composer';
import { MessageStatusIcon } from './message-status-icon';
import { ServiceWindowBadge } from './service-window-badge';

type ConversationThreadProps = {
  conversationId: string;
  /** From the list; undefined when the selected conversation is not among the loaded ones. */
  conversation: Conversation | undefined;
  channelName: string | undefined;
  provider: ChannelProvider | undefined;
  canSend: boolean;
};

/** One conversation: who, the 24-hour window, the messages (live) and the composer. */
export function ConversationThread({
  conversationId,
  conversation,
  channelName,
  provider,
  canSend,
}: ConversationThreadProps) {
  const { t } = useTranslation();
  const session = useSession();
  const messagesQuery = useConversationMessagesQuery(conversationId);
  const messages = threadMessagesOf(messagesQuery.data);
  const viewport = useRef<HTMLDivElement>(null);
  const lastMessageId = messages.at(-1)?.id;
  const lastStatus = messages.at(-1)?.status;

  // Follow the newest message (not when older pages are prepended: the last one stays).
  useEffect(() => {
    if (!lastMessageId && !lastStatus) return;
    const element = viewport.current;
    element?.scrollTo({ top: element.scrollHeight });
  }, [lastMessageId, lastStatus]);

  const first = messages[0];
  const contactId = conversation?.contact.id ?? first?.contactId;
  const channelId = conversation?.channelId ?? first?.channelId;
  const phone = conversation?.contact.phone;

  return (
    <Stack gap={0} h="100%" data-testid="conversation-thread">
      <Group gap="sm" p="sm" wrap="nowrap" justify="space-between">
        <Group gap="sm" wrap="nowrap" miw={0}>
          <Avatar radius="xl" color="teal">
            {initialsOf(conversation?.contact.name ?? '')}
          </Avatar>
          <Stack gap={0} miw={0}>
            <Text fw={600} truncate data-testid="thread-contact">
              {conversation ? contactLabelOf(conversation) : t('conversations.thread')}
            </Text>
            <Text size="xs" c="dimmed" truncate>
              {[conversation?.contact.name && phone ? formatPhone(phone) : null, channelName]
                .filter(Boolean)
                .join(' · ')}
            </Text>
          </Stack>
        </Group>
        <Group gap="xs" wrap="nowrap">
          {provider?.capabilities.hasServiceWindow && conversation ? (
            <ServiceWindowBadge endsAt={conversation.serviceWindowEndsAt} />
          ) : null}
          {canViewFlows(session) ? (
            <Button
              component={Link}
              to={`/flows/sessions?conversationId=${encodeURIComponent(conversationId)}`}
              variant="light"
              size="xs"
              leftSection={<IconRobot size={14} />}
            >
              {t('flows.sessions.botSession')}
            </Button>
          ) : null}
        </Group>
      </Group>
      <Divider />

      <ScrollArea flex={1} viewportRef={viewport} type="auto" px="sm">
        <Stack gap="xs" py="sm" aria-live="polite" data-testid="thread-messages">
          {messagesQuery.hasNextPage ? (
            <Center>
              <Button
                variant="subtle"
                size="xs"
                onClick={() => void messagesQuery.fetchNextPage()}
                loading={messagesQuery.isFetchingNextPage}
              >
                {t('conversations.loadOlder')}
              </Button>
            </Center>
          ) : null}
          {messagesQuery.isPending ? (
            <Center py="xl">
              <Loader size="sm" aria-label={t('common.loading')} />
            </Center>
          ) : null}
          {messagesQuery.isError ? (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
              {t('conversations.messagesLoadError')} {describeError(t, messagesQuery.error)}
            </Alert>
          ) : null}
          {messagesQuery.isSuccess && messages.length === 0 ? (
            <EmptyState
              icon={<IconMessageCircle size={26} />}
              title={t('conversations.noMessages')}
              py="xl"
            />
          ) : null}
          {messages.map((message) => (
            <MessageBubble
              key={message.id}
              content={message.content}
              side={message.direction === 'outbound' ? 'end' : 'start'}
              createdAt={message.createdAt}
              meta={
                message.direction === 'outbound' ? (
                  <MessageStatusIcon
                    status={message.status}
                    errorCode={message.errorCode}
                    errorReason={message.errorReason}
                  />
                ) : null
              }
            />
          ))}
        </Stack>
      </ScrollArea>

      <Divider />
      <Stack p="sm" gap="xs">
        {canSend && contactId && channelId ? (
          <MessageComposer key={conversationId} channelId={channelId} contactId={contactId} />
        ) : (
          <Text size="sm" c="dimmed" ta="center">
            {canSend
              ? t('conversations.composer.unavailable')
              : t('conversations.composer.readOnly')}
          </Text>
        )}
      </Stack>
    </Stack>
  );
}
