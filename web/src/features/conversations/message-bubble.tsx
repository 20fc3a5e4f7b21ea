import {
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Modal,
  Paper,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconArrowBackUp, IconList, IconMapPin } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageContent } from '../../../../src/shared/messaging/message-content';
import { MessageMedia } from './message-media';
import {
  bubblePartsOf,
  type Choice,
  type ChoiceSection,
  choicesOf,
  isMediaMessage,
  mapUrlOf,
} from './message-parts';
import { formatMessageTime } from './message-time';

type MessageBubbleProps = {
  content: MessageContent;
  /** `end`: the viewer's own side (right, tinted); `start`: the other party. */
  side: 'start' | 'end';
  createdAt: string;
  /** Drawn after the time (status ticks). */
  meta?: ReactNode;
  /** Makes buttons and list rows tappable (the sandbox phone); without it they are shown only. */
  onChoose?: (choice: Choice) => void;
  isChoosing?: boolean;
};

/** One chat bubble for any content kind, with its buttons or list underneath. */
export function MessageBubble({
  content,
  side,
  createdAt,
  meta,
  onChoose,
  isChoosing = false,
}: MessageBubbleProps) {
  const { t, i18n } = useTranslation();
  const parts = bubblePartsOf(content);
  const choices = choicesOf(content);
  const isOwn = side === 'end';

  return (
    <Stack
      gap={4}
      align={isOwn ? 'flex-end' : 'flex-start'}
      data-testid="message-bubble"
      data-side={side}
      data-content-type={content.type}
    >
      <Paper
        px="sm"
        py={6}
        radius="lg"
        maw="80%"
        withBorder={!isOwn}
        bg={isOwn ? 'var(--mantine-color-teal-light)' : 'var(--mantine-color-body)'}
        style={{
          borderBottomRightRadius: isOwn ? 4 : undefined,
          borderBottomLeftRadius: isOwn ? undefined : 4,
        }}
      >
        <Stack gap={4}>
          {content.type === 'template' ? (
            <Badge size="xs" variant="light" color="grape" radius="sm" tt="none">
              {t('messages.template')}
            </Badge>
          ) : null}
          {content.type === 'interactive-reply' ? (
            <Group gap={4} c="dimmed" wrap="nowrap">
              <IconArrowBackUp size={14} />
              <Text size="xs">
                {t(content.kind === 'button' ? 'messages.tappedButton' : 'messages.pickedRow')}
              </Text>
            </Group>
          ) : null}
          {isMediaMessage(content) && content.type !== 'document' ? (
            <MessageMedia content={content} />
          ) : null}
          {parts.header ? (
            <Text size="sm" fw={600}>
              {parts.header}
            </Text>
          ) : null}
          {content.type === 'document' ? <MessageMedia content={content} /> : null}
          {content.type === 'location' ? (
            <Anchor
              href={mapUrlOf(content.latitude, content.longitude)}
              target="_blank"
              rel="noreferrer"
              size="sm"
            >
              <Group gap={4} wrap="nowrap">
                <IconMapPin size={16} />
                {t('messages.openMap')}
              </Group>
            </Anchor>
          ) : null}
          {parts.body ? (
            <Text
              size={content.type === 'reaction' ? 'xl' : 'sm'}
              style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
              data-testid="message-text"
            >
              {parts.body}
            </Text>
          ) : null}
          {content.type === 'template' && !parts.body ? (
            <Text size="sm" c="dimmed" fs="italic">
              {t('messages.templateNotRendered')}
            </Text>
          ) : null}
          {content.type === 'unsupported' && !parts.body ? (
            <Text size="sm" c="dimmed" fs="italic">
              {t('messages.unsupported', { kind: content.providerType })}
            </Text>
          ) : null}
          {parts.footer ? (
            <Text size="xs" c="dimmed">
              {parts.footer}
            </Text>
          ) : null}
          <Group gap={4} justify="flex-end" wrap="nowrap">
            <Text size="xs" c="dimmed">
              {formatMessageTime(createdAt, i18n.language)}
            </Text>
            {meta}
          </Group>
        </Stack>
      </Paper>
      {choices && content.type === 'buttons' ? (
        <Stack gap={4} maw="80%" miw={180}>
          {choices[0]?.rows.map((choice) => (
            <Button
              key={choice.id}
              variant="light"
              size="xs"
              fullWidth
              disabled={!onChoose}
              loading={isChoosing}
              onClick={() => onChoose?.(choice)}
            >
              {choice.title}
            </Button>
          ))}
        </Stack>
      ) : null}
      {choices && content.type === 'list' ? (
        <ListChoices
          buttonText={content.buttonText}
          sections={choices}
          onChoose={onChoose}
          isChoosing={isChoosing}
        />
      ) : null}
    </Stack>
  );
}

/** A list message's button; it opens the sections, whose rows are tappable when allowed. */
function ListChoices({
  buttonText,
  sections,
  onChoose,
  isChoosing,
}: {
  buttonText: string;
  sections: ChoiceSection[];
  onChoose: ((choice: Choice) => void) | undefined;
  isChoosing: boolean;
}) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button
        variant="light"
        size="xs"
        leftSection={<IconList size={14} />}
        onClick={open}
        loading={isChoosing}
        maw="80%"
        miw={180}
      >
        {buttonText}
      </Button>
      <Modal opened={opened} onClose={close} title={buttonText} centered size="sm">
        <Stack gap="md">
          {sections.map((section, index) => (
            <Stack key={section.title ?? `section-${index}`} gap={4}>
              {section.title ? (
                <Text size="xs" fw={600} c="dimmed" tt="uppercase">
                  {section.title}
                </Text>
              ) : null}
              {section.rows.map((row) => (
                <UnstyledButton
                  key={row.id}
                  disabled={!onChoose}
                  onClick={() => {
                    close();
                    onChoose?.(row);
                  }}
                  p="xs"
                  style={{
                    borderRadius: 'var(--mantine-radius-md)',
                    border: '1px solid var(--mantine-color-default-border)',
                    cursor: onChoose ? 'pointer' : 'default',
                  }}
                >
                  <Box>
                    <Text size="sm" fw={500}>
                      {row.title}
                    </Text>
                    {row.description ? (
                      <Text size="xs" c="dimmed">
                        {row.description}
                      </Text>
                    ) : null}
                  </Box>
                </UnstyledButton>
              ))}
            </Stack>
          ))}
        </Stack>
      </Modal>
    </>
  );
}
