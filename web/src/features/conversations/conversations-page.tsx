import { EmptyState, Grid, Paper, ScrollArea, Select, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconMessages, IconSearch } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useSession } from '../../auth/auth-context';
import { PageHeader } from '../../components/page-header';
import { canSendMessages } from '../channels/channel-permissions';
import { useChannelProvidersQuery, useChannelsQuery } from '../channels/channels-api';
import { ConversationList } from './conversation-list';
import { ConversationThread } from './conversation-thread';
import {
  type ConversationStatus,
  conversationMessagesQueryKey,
  conversationsQueryKey,
  useConversationsQuery,
} from './conversations-api';
import { concernsThread } from './messaging-events';
import { useMessagingEvents, useRefetchAfterReconnect } from './use-messaging-events';

const statuses: readonly ConversationStatus[] = ['open', 'pending', 'resolved'];

function isConversationStatus(value: string | null): value is ConversationStatus {
  return statuses.includes(value as ConversationStatus);
}

/** Height of the two panes: the viewport minus the header, page title and padding. */
const paneHeight = 'max(480px, calc(100dvh - 200px))';

/** Conversations of every channel (list and thread, live); the full team inbox comes later. */
export function ConversationsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const queryClient = useQueryClient();
  const { conversationId } = useParams<{ conversationId: string }>();
  const [channelId, setChannelId] = useState<string | null>(null);
  const [status, setStatus] = useState<ConversationStatus | null>(null);
  const [phoneInput, setPhoneInput] = useState('');
  const [phone] = useDebouncedValue(phoneInput.trim(), 400);
  const filters = useMemo(
    () => ({
      channelId: channelId ?? undefined,
      status: status ?? undefined,
      phone: phone || undefined,
    }),
    [channelId, status, phone],
  );
  const conversations = useConversationsQuery(filters);
  const channels = useChannelsQuery();
  const providers = useChannelProvidersQuery();

  const channelNames = useMemo(
    () => new Map((channels.data ?? []).map((channel) => [channel.id, channel.name])),
    [channels.data],
  );
  const selected = conversations.data?.pages
    .flatMap((page) => page.items)
    .find((conversation) => conversation.id === conversationId);
  const selectedChannel = channels.data?.find((channel) => channel.id === selected?.channelId);
  const selectedProvider = providers.data?.find((p) => p.id === selectedChannel?.provider);

  useMessagingEvents((event) => {
    const isListChange = event.type === 'message.received' || event.type === 'message.created';
    const isFilteredOut =
      filters.channelId !== undefined &&
      event.channelId !== undefined &&
      event.channelId !== filters.channelId;
    if (isListChange && !isFilteredOut) {
      void queryClient.invalidateQueries({ queryKey: conversationsQueryKey });
    }
    if (conversationId && concernsThread(event, { conversationId })) {
      void queryClient.invalidateQueries({
        queryKey: conversationMessagesQueryKey(conversationId),
      });
    }
  });
  useRefetchAfterReconnect([
    conversationsQueryKey,
    conversationMessagesQueryKey(conversationId ?? ''),
  ]);

  return (
    <>
      <PageHeader title={t('conversations.title')} description={t('conversations.subtitle')} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder radius="lg" h={paneHeight} p="sm">
            <Stack gap="sm" h="100%">
              <Select
                label={t('conversations.filters.channel')}
                placeholder={t('conversations.filters.allChannels')}
                data={(channels.data ?? []).map((channel) => ({
                  value: channel.id,
                  label: channel.name,
                }))}
                value={channelId}
                onChange={setChannelId}
                clearable
                size="xs"
              />
              <Select
                label={t('conversations.filters.status')}
                placeholder={t('conversations.filters.allStatuses')}
                data={statuses.map((value) => ({
                  value,
                  label: t(`conversations.status.${value}`),
                }))}
                value={status}
                onChange={(value) => setStatus(isConversationStatus(value) ? value : null)}
                clearable
                size="xs"
              />
              <TextInput
                label={t('conversations.filters.phone')}
                placeholder={t('conversations.filters.phonePlaceholder')}
                leftSection={<IconSearch size={14} />}
                inputMode="tel"
                value={phoneInput}
                onChange={(event) => setPhoneInput(event.currentTarget.value)}
                size="xs"
              />
              <ScrollArea flex={1} type="auto" offsetScrollbars>
                <ConversationList
                  query={conversations}
                  selectedId={conversationId}
                  channelNames={channelNames}
                  showChannel={!channelId && channelNames.size > 1}
                />
              </ScrollArea>
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper withBorder radius="lg" h={paneHeight}>
            {conversationId ? (
              <ConversationThread
                key={conversationId}
                conversationId={conversationId}
                conversation={selected}
                channelName={selectedChannel?.name}
                provider={selectedProvider}
                canSend={canSendMessages(session)}
              />
            ) : (
              <EmptyState
                icon={<IconMessages size={28} />}
                title={t('conversations.pick')}
                description={t('conversations.pickHint')}
                h="100%"
                style={{ justifyContent: 'center' }}
              />
            )}
          </Paper>
        </Grid.Col>
      </Grid>
    </>
  );
}
