import { Anchor, Button, Group, Image, Skeleton, Text } from '@mantine/core';
import {
  IconDownload,
  IconFile,
  IconMovie,
  IconMusic,
  IconPhoto,
  IconPhotoOff,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MediaContent } from '../../../../src/shared/messaging/message-content';
import { useApiClient } from '../../api/api-context';
import { notifyFailure } from '../../components/notify';
import { useObjectUrl } from '../../components/use-object-url';
import { describeError } from '../../i18n/describe-error';
import { useMediaBlobQuery } from './conversations-api';
import { fetchWithSession } from './session-fetch';

const maxImageWidth = 260;

/** Pictures inline (the bytes fetched with the session's token); other media as downloads. */
export function MessageMedia({ content }: { content: MediaContent }) {
  const { t } = useTranslation();
  const isPicture = content.type === 'image' || content.type === 'sticker';

  if (!content.mediaId) {
    // Not stored (yet): an outbound file by URL, or an inbound one still downloading.
    return (
      <Group gap={6} c="dimmed" wrap="nowrap" data-testid="message-media-pending">
        <MediaIcon type={content.type} />
        {content.url ? (
          <Anchor href={content.url} target="_blank" rel="noreferrer" size="sm" truncate>
            {content.url}
          </Anchor>
        ) : (
          <Text size="sm">
            {t('messages.mediaPending', { kind: t(`messages.kinds.${content.type}`) })}
          </Text>
        )}
      </Group>
    );
  }
  return isPicture ? (
    <InlinePicture
      mediaId={content.mediaId}
      alt={content.caption ?? t(`messages.kinds.${content.type}`)}
    />
  ) : (
    <MediaDownload
      mediaId={content.mediaId}
      type={content.type}
      filename={content.type === 'document' && content.filename ? content.filename : undefined}
    />
  );
}

function InlinePicture({ mediaId, alt }: { mediaId: string; alt: string }) {
  const { t } = useTranslation();
  const media = useMediaBlobQuery(mediaId);
  const url = useObjectUrl(media.data);
  if (media.isError) {
    return (
      <Group gap={6} c="dimmed" wrap="nowrap">
        <IconPhotoOff size={18} />
        <Text size="sm">{t('messages.mediaLoadError')}</Text>
      </Group>
    );
  }
  if (!url) return <Skeleton w={maxImageWidth} h={160} radius="md" />;
  return (
    <Image
      src={url}
      alt={alt}
      maw={maxImageWidth}
      mah={320}
      fit="contain"
      radius="md"
      data-testid="message-image"
    />
  );
}

function MediaDownload({
  mediaId,
  type,
  filename,
}: {
  mediaId: string;
  type: MediaContent['type'];
  filename: string | undefined;
}) {
  const { t } = useTranslation();
  const api = useApiClient();
  const [isLoading, setIsLoading] = useState(false);
  const name = filename ?? t(`messages.kinds.${type}`);

  const download = async () => {
    setIsLoading(true);
    try {
      const response = await fetchWithSession(api, `/media/${encodeURIComponent(mediaId)}/content`);
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = filename ?? `${type}-${mediaId}`;
      link.click();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      notifyFailure(t('messages.mediaLoadError'), describeError(t, error));
    } finally {
      setIsLoading(false);
    }
  };

  return (
    <Button
      variant="default"
      size="xs"
      leftSection={<MediaIcon type={type} />}
      rightSection={<IconDownload size={14} />}
      loading={isLoading}
      onClick={() => void download()}
      aria-label={t('messages.download', { name })}
      maw={maxImageWidth}
    >
      <Text size="xs" truncate>
        {name}
      </Text>
    </Button>
  );
}

function MediaIcon({ type }: { type: MediaContent['type'] }) {
  switch (type) {
    case 'image':
    case 'sticker':
      return <IconPhoto size={16} />;
    case 'audio':
      return <IconMusic size={16} />;
    case 'video':
      return <IconMovie size={16} />;
    case 'document':
      return <IconFile size={16} />;
  }
}
