import {
  Alert,
  Avatar,
  Badge,
  Button,
  Center,
  EmptyState,
  Group,
  Skeleton,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { IconAlertCircle, IconMessages } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { initialsOf } from '../../components/initials';
import { describeError } from '../../i18n/describe-error';
import { formatPhone } from '../sandbox/simulated-user';
import type { Conversation, useConversationsQuery } from './conversations-api';
import { formatMessageTime } from './message-time';

type ConversationListProps = {
  query: ReturnType<typeof useConversationsQuery>;
  selectedId: string | undefined;
  /** Channel names by id, shown when the list mixes channels. */
  channelNames: ReadonlyMap<string, string>;
  showChannel: boolean;
};

const skeletonKeys = ['a', 'b', 'c', 'd'] as const;

/** Who a conversation is with: the contact's name, else their phone. */
export function contactLabelOf(conversation: Conversation): string {
  return (
    conversation.contact.name ??
    (conversation.contact.phone ? formatPhone(conversation.contact.phone) : '—')
  );
}

/** Conversations, most recent activity first; each one links to its thread. */
export function ConversationList({
  query,
  selectedId,
  channelNames,
  showChannel,
}: ConversationListProps) {
  const { t, i18n } = useTranslation();
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];

  if (query.isError) {
    return (
      <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
        <Stack gap="xs" align="flex-start">
          <Text size="sm">
            {t('conversations.loadError')} {describeError(t, query.error)}
          </Text>
          <Button size="xs" variant="white" color="red" onClick={() => void query.refetch()}>
            {t('common.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (query.isPending) {
    return (
      <Stack gap="sm" aria-hidden>
        {skeletonKeys.map((key) => (
          <Group key={key} gap="sm" wrap="nowrap">
            <Skeleton circle height={36} />
            <Stack gap={6} flex={1}>
              <Skeleton height={12} width="60%" />
              <Skeleton height={10} width="40%" />
            </Stack>
          </Group>
        ))}
      </Stack>
    );
  }
  if (items.length === 0) {
    return (
      <EmptyState
        icon={<IconMessages size={26} />}
        title={t('conversations.empty')}
        description={t('conversations.emptyHint')}
        py="xl"
      />
    );
  }

  return (
    <Stack gap={2} component="nav" aria-label={t('conversations.listLabel')}>
      {items.map((conversation) => {
        const label = contactLabelOf(conversation);
        const isSelected = conversation.id === selectedId;
        const phone = conversation.contact.phone ? formatPhone(conversation.contact.phone) : null;
        return (
          <UnstyledButton
            key={conversation.id}
            component={Link}
            to={`/conversations/${conversation.id}`}
            aria-current={isSelected ? 'page' : undefined}
            data-testid="conversation-item"
            p="xs"
            style={{
              borderRadius: 'var(--mantine-radius-md)',
              background: isSelected ? 'var(--mantine-color-teal-light)' : undefined,
            }}
          >
            <Group gap="sm" wrap="nowrap">
              <Avatar radius="xl" size={36} color="teal">
                {initialsOf(conversation.contact.name ?? '')}
              </Avatar>
              <Stack gap={0} flex={1} miw={0}>
                <Group gap="xs" justify="space-between" wrap="nowrap">
                  <Text size="sm" fw={600} truncate>
                    {label}
                  </Text>
                  {conversation.lastMessageAt ? (
                    <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                      {formatMessageTime(conversation.lastMessageAt, i18n.language)}
                    </Text>
                  ) : null}
                </Group>
                <Group gap="xs" justify="space-between" wrap="nowrap">
                  <Text size="xs" c="dimmed" truncate>
                    {[
                      conversation.contact.name ? phone : null,
                      showChannel ? channelNames.get(conversation.channelId) : null,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </Text>
                  {conversation.status !== 'open' ? (
                    <Badge size="xs" variant="light" color="gray" style={{ flexShrink: 0 }}>
                      {t(`conversations.status.${conversation.status}`)}
                    </Badge>
                  ) : null}
                </Group>
              </Stack>
            </Group>
          </UnstyledButton>
        );
      })}
      {query.hasNextPage ? (
        <Center mt="sm">
          <Button
            variant="default"
            size="xs"
            onClick={() => void query.fetchNextPage()}
            loading={query.isFetchingNextPage}
          >
            {t('common.loadMore')}
          </Button>
        </Center>
      ) : null}
    </Stack>
  );
}
