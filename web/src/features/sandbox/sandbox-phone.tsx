import {
  ActionIcon,
  Alert,
  Avatar,
  Box,
  CloseButton,
  EmptyState,
  FileButton,
  Group,
  Loader,
  Paper,
  ScrollArea,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertCircle,
  IconBrandWhatsapp,
  IconFile,
  IconPaperclip,
  IconSend,
} from '@tabler/icons-react';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { initialsOf } from '../../components/initials';
import { describeError } from '../../i18n/describe-error';
import { MessageBubble } from '../conversations/message-bubble';
import type { Choice } from '../conversations/message-parts';
import { LocationPopover, type SharedLocation } from './location-popover';
import { type SandboxSend, useSandboxSend, useSandboxThreadQuery } from './sandbox-api';
import type { SimulatedUser } from './simulated-user';

/** Files the phone offers to attach (the server has the last word on types and sizes). */
const acceptedFiles = 'image/*,application/pdf,audio/*,video/*,.doc,.docx,.xls,.xlsx,.csv,.txt';
const maxTextLength = 4096;
const maxCaptionLength = 1024;

type SandboxPhoneProps = {
  channelId: string;
  channelName: string;
  /** The simulated user; undefined while their phone number is not valid. */
  user: SimulatedUser | undefined;
};

/** A phone-shaped chat: the simulated user's view of the conversation with the business. */
export function SandboxPhone({ channelId, channelName, user }: SandboxPhoneProps) {
  const { t } = useTranslation();
  const thread = useSandboxThreadQuery(channelId, user?.phone);
  const send = useSandboxSend(channelId);
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  // The message whose button or list row was just tapped (its buttons show a spinner).
  const [choosingMessageId, setChoosingMessageId] = useState<string | null>(null);
  const viewport = useRef<HTMLDivElement>(null);
  const messages = thread.data?.messages ?? [];
  const lastMessageId = messages.at(-1)?.id;

  useEffect(() => {
    if (!lastMessageId) return;
    const element = viewport.current;
    element?.scrollTo({ top: element.scrollHeight });
  }, [lastMessageId]);

  const sender = user
    ? { from: user.phone, ...(user.name.trim() ? { name: user.name.trim() } : {}) }
    : undefined;
  const isDisabled = !sender;

  const submit = (input: SandboxSend, onDone?: () => void) =>
    send.mutate(input, {
      onSuccess: () => onDone?.(),
      onSettled: () => setChoosingMessageId(null),
    });

  const sendTyped = (event: FormEvent) => {
    event.preventDefault();
    if (!sender || send.isPending) return;
    const typed = text.trim();
    if (file) {
      submit(
        {
          kind: 'file',
          ...sender,
          file,
          ...(typed ? { caption: typed.slice(0, maxCaptionLength) } : {}),
        },
        () => {
          setFile(null);
          setText('');
        },
      );
      return;
    }
    if (!typed) return;
    submit({ kind: 'json', body: { ...sender, text: typed } }, () => setText(''));
  };

  const choose = (messageId: string, choice: Choice) => {
    if (!sender) return;
    setChoosingMessageId(messageId);
    submit({ kind: 'json', body: { ...sender, reply: { id: choice.id } } });
  };

  const shareLocation = (location: SharedLocation) => {
    if (sender) submit({ kind: 'json', body: { ...sender, location } });
  };

  return (
    <Paper
      radius={44}
      p={12}
      w={380}
      maw="100%"
      h="min(700px, max(480px, calc(100dvh - 190px)))"
      bg="dark.7"
      shadow="xl"
      data-testid="sandbox-phone"
      aria-label={t('sandbox.phone.label')}
      role="region"
    >
      <Stack
        gap={0}
        h="100%"
        style={{ borderRadius: 34, overflow: 'hidden', background: 'var(--mantine-color-body)' }}
      >
        <Group gap="sm" px="md" py="sm" bg="teal.8" c="white" wrap="nowrap">
          <Avatar radius="xl" color="white" variant="filled" size={36}>
            <IconBrandWhatsapp size={20} color="var(--mantine-color-teal-8)" />
          </Avatar>
          <Stack gap={0} miw={0}>
            <Text fw={600} size="sm" truncate>
              {channelName}
            </Text>
            <Text size="xs" opacity={0.85}>
              {t('sandbox.phone.business')}
            </Text>
          </Stack>
        </Group>

        <ScrollArea
          flex={1}
          viewportRef={viewport}
          type="auto"
          px="xs"
          bg="var(--mantine-color-gray-light)"
        >
          <Stack gap="xs" py="sm" aria-live="polite" data-testid="sandbox-messages">
            {thread.isPending && user ? (
              <Box ta="center" py="xl">
                <Loader size="sm" aria-label={t('common.loading')} />
              </Box>
            ) : null}
            {thread.isError ? (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
                {describeError(t, thread.error)}
              </Alert>
            ) : null}
            {thread.isSuccess && messages.length === 0 ? (
              <EmptyState
                icon={<Avatar radius="xl">{initialsOf(user?.name ?? '')}</Avatar>}
                title={t('sandbox.phone.emptyTitle')}
                description={t('sandbox.phone.emptyBody')}
                py="xl"
              />
            ) : null}
            {messages.map((message) => (
              <MessageBubble
                key={message.id}
                content={message.content}
                // On the phone, the user's own messages are on the right.
                side={message.direction === 'inbound' ? 'end' : 'start'}
                createdAt={message.createdAt}
                onChoose={
                  message.direction === 'outbound'
                    ? (choice) => choose(message.id, choice)
                    : undefined
                }
                isChoosing={choosingMessageId === message.id}
              />
            ))}
          </Stack>
        </ScrollArea>

        {send.isError ? (
          <Alert
            color="red"
            variant="light"
            radius={0}
            icon={<IconAlertCircle size={16} />}
            withCloseButton
            closeButtonLabel={t('sandbox.phone.dismiss')}
            onClose={() => send.reset()}
            p="xs"
          >
            <Text size="xs">{describeError(t, send.error)}</Text>
          </Alert>
        ) : null}
        {file ? (
          <Group gap="xs" px="sm" py={6} wrap="nowrap" bg="var(--mantine-color-default-hover)">
            <IconFile size={16} />
            <Text size="xs" truncate flex={1} data-testid="sandbox-attachment">
              {file.name}
            </Text>
            <CloseButton
              size="sm"
              aria-label={t('sandbox.phone.removeAttachment')}
              onClick={() => setFile(null)}
            />
          </Group>
        ) : null}
        <form onSubmit={sendTyped}>
          <Group gap={4} px="xs" py="xs" wrap="nowrap">
            <FileButton onChange={setFile} accept={acceptedFiles}>
              {(props) => (
                <Tooltip label={t('sandbox.phone.attach')}>
                  <ActionIcon
                    {...props}
                    variant="subtle"
                    color="gray"
                    disabled={isDisabled}
                    aria-label={t('sandbox.phone.attach')}
                  >
                    <IconPaperclip size={20} />
                  </ActionIcon>
                </Tooltip>
              )}
            </FileButton>
            <LocationPopover onShare={shareLocation} disabled={isDisabled || send.isPending} />
            <TextInput
              flex={1}
              radius="xl"
              aria-label={t('sandbox.phone.message')}
              placeholder={
                file ? t('sandbox.phone.captionPlaceholder') : t('sandbox.phone.messagePlaceholder')
              }
              maxLength={file ? maxCaptionLength : maxTextLength}
              value={text}
              onChange={(event) => setText(event.currentTarget.value)}
              disabled={isDisabled}
            />
            <ActionIcon
              type="submit"
              radius="xl"
              size="lg"
              color="teal"
              aria-label={t('sandbox.phone.send')}
              disabled={isDisabled || (!text.trim() && !file)}
              loading={send.isPending && choosingMessageId === null}
            >
              <IconSend size={18} />
            </ActionIcon>
          </Group>
        </form>
      </Stack>
    </Paper>
  );
}
