import {
  Alert,
  Anchor,
  Button,
  Center,
  Group,
  Image,
  List,
  Loader,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertCircle, IconPlayerPlay, IconRefresh } from '@tabler/icons-react';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-error';
import { notifySuccess } from '../../components/notify';
import { describeError } from '../../i18n/describe-error';
import { formatPhone } from '../sandbox/simulated-user';
import {
  formatPairingCode,
  needsStart,
  pairingViewOf,
  qrRefreshMs,
  qrRetryMs,
  sessionPollMs,
} from './channel-session';
import type { Channel } from './channels-api';
import {
  useChannelQrQuery,
  useChannelSessionQuery,
  usePairingCode,
  useSessionCommand,
} from './sessions-api';

type QrPairingModalProps = { opened: boolean; channel: Channel | null; onClose(): void };

/**
 * Pairs a phone with a QR channel: starts the session if nothing runs, shows the QR code
 * (renewed every 15 s, as codes expire), follows the session every 3 s (and on live events),
 * and closes with a notice once connected. A failure shows the provider's words and a retry;
 * providers that can pair by code offer that instead of scanning.
 */
export function QrPairingModal({ opened, channel, onClose }: QrPairingModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={channel ? t('channels.pairing.title', { name: channel.name }) : ''}
      centered
      size="md"
    >
      {channel ? <PairingPanel key={channel.id} channel={channel} onDone={onClose} /> : null}
    </Modal>
  );
}

function PairingPanel({ channel, onDone }: { channel: Channel; onDone(): void }) {
  const { t } = useTranslation();
  // Reports older than the dialog (a row's cached one) decide nothing here.
  const [openedAt] = useState(() => Date.now());
  const session = useChannelSessionQuery(channel.id, { pollMs: sessionPollMs });
  const command = useSessionCommand();
  const startedOnOpen = useRef(false);
  const announced = useRef(false);
  const report = session.data && session.dataUpdatedAt >= openedAt ? session.data : undefined;
  const view = pairingViewOf(report, command.isPending);
  const start = () => command.mutate({ channelId: channel.id, command: 'start' });

  useEffect(() => {
    if (startedOnOpen.current || !report) return;
    startedOnOpen.current = true;
    if (needsStart(report)) command.mutate({ channelId: channel.id, command: 'start' });
  }, [report, command, channel.id]);

  useEffect(() => {
    if (view.kind !== 'connected' || announced.current) return;
    announced.current = true;
    notifySuccess(
      view.phone
        ? t('channels.pairing.connectedAs', {
            name: channel.name,
            phone: formatPhone(view.phone),
          })
        : t('channels.pairing.connected', { name: channel.name }),
    );
    onDone();
  }, [view, channel.name, onDone, t]);

  // A failed start stops mattering once a later report shows the session running (the
  // monitor restarts wanted sessions on its own).
  const isStartErrorOutdated =
    report !== undefined &&
    session.dataUpdatedAt > command.submittedAt &&
    (report.status === 'starting' || report.status === 'qr');
  const failure = (isStartErrorOutdated ? null : command.error) ?? (report ? null : session.error);

  return (
    <Stack gap="md" data-testid="pairing-dialog" data-view={view.kind}>
      {failure && !command.isPending ? (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{describeError(t, failure)}</Text>
            <Button size="xs" variant="white" color="red" onClick={start}>
              {t('common.retry')}
            </Button>
          </Stack>
        </Alert>
      ) : null}

      {view.kind === 'loading' || view.kind === 'starting' ? (
        failure && !command.isPending ? null : (
          <Center py="xl">
            <Stack align="center" gap="xs">
              <Loader size="md" />
              <Text size="sm" c="dimmed">
                {view.kind === 'starting'
                  ? t('channels.pairing.starting')
                  : t('channels.pairing.checking')}
              </Text>
            </Stack>
          </Center>
        )
      ) : null}

      {view.kind === 'scan' ? <ScanStep channel={channel} /> : null}

      {view.kind === 'failed' && !failure ? (
        <Alert
          color="red"
          variant="light"
          icon={<IconAlertCircle size={18} />}
          title={t('channels.pairing.failedTitle')}
          data-testid="pairing-failed"
        >
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              {report?.detail
                ? t('channels.session.providerSays', { detail: report.detail })
                : t('channels.pairing.failedNoDetail')}
            </Text>
            <Button size="xs" leftSection={<IconRefresh size={14} />} onClick={start}>
              {t('common.retry')}
            </Button>
          </Stack>
        </Alert>
      ) : null}

      {view.kind === 'stopped' && !failure ? (
        <Stack align="center" gap="xs" py="md">
          <Text size="sm">{t('channels.pairing.stopped')}</Text>
          <Button leftSection={<IconPlayerPlay size={16} />} onClick={start}>
            {t('channels.pairing.start')}
          </Button>
        </Stack>
      ) : null}

      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('channels.pairing.close')}
        </Button>
      </Group>
    </Stack>
  );
}

const qrSize = 264;

/** The QR code with how to scan it, and pairing by code as the alternative. */
function ScanStep({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  const qr = useChannelQrQuery(channel.id, {
    isEnabled: true,
    refreshMs: qrRefreshMs,
    retryMs: qrRetryMs,
  });
  const [isCodeOpen, setIsCodeOpen] = useState(false);
  return (
    <Stack gap="sm">
      <Center>
        {qr.data ? (
          <Paper withBorder radius="md" p="xs" bg="white">
            <Image
              src={qr.data}
              alt={t('channels.pairing.qrAlt', { name: channel.name })}
              w={qrSize}
              h={qrSize}
              fit="contain"
              data-testid="pairing-qr"
              style={{ imageRendering: 'pixelated' }}
            />
          </Paper>
        ) : qr.isError ? (
          <Stack align="center" justify="center" gap="xs" w={qrSize} h={qrSize}>
            <Loader size="sm" />
            <Text size="sm" c="dimmed" ta="center" data-testid="pairing-qr-waiting">
              {t('channels.pairing.qrWaiting')}
            </Text>
          </Stack>
        ) : (
          <Skeleton w={qrSize} h={qrSize} radius="md" />
        )}
      </Center>
      <List type="ordered" size="sm" spacing={2}>
        <List.Item>{t('channels.pairing.steps.open')}</List.Item>
        <List.Item>{t('channels.pairing.steps.devices')}</List.Item>
        <List.Item>{t('channels.pairing.steps.scan')}</List.Item>
      </List>
      <Text size="xs" c="dimmed">
        {t('channels.pairing.qrRefreshes', { seconds: qrRefreshMs / 1000 })}
      </Text>
      {isCodeOpen ? (
        <PairingCodeForm channel={channel} />
      ) : (
        <Anchor component="button" type="button" size="sm" onClick={() => setIsCodeOpen(true)}>
          {t('channels.pairing.useCode')}
        </Anchor>
      )}
    </Stack>
  );
}

/** Pairing without the camera: the phone's number in, an 8-character code to type on it out. */
function PairingCodeForm({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  const pairing = usePairingCode();
  const [phone, setPhone] = useState('+55');
  const error = pairing.error;
  const isUnsupported = isApiError(error) && error.status === 409;
  const isPhoneInvalid = isApiError(error) && error.code === 'VALIDATION_FAILED';

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (phone.replace(/\D/g, '').length < 8) return;
    pairing.mutate({ channelId: channel.id, phone: phone.trim() });
  };

  if (isUnsupported) {
    return (
      <Alert color="yellow" variant="light" data-testid="pairing-code-unsupported">
        {t('channels.pairing.codeUnsupported')}
      </Alert>
    );
  }
  return (
    <Stack gap="xs">
      <form onSubmit={submit} noValidate>
        <Group align="flex-end" gap="xs">
          <TextInput
            label={t('channels.pairing.codePhone')}
            description={t('channels.pairing.codePhoneHint')}
            value={phone}
            onChange={(event) => setPhone(event.currentTarget.value)}
            inputMode="tel"
            autoComplete="off"
            error={isPhoneInvalid ? t('channels.pairing.codePhoneInvalid') : undefined}
            style={{ flex: 1 }}
          />
          <Button type="submit" loading={pairing.isPending} variant="light">
            {t('channels.pairing.codeRequest')}
          </Button>
        </Group>
      </form>
      {error && !isPhoneInvalid ? (
        <Text size="sm" c="red">
          {describeError(t, error)}
        </Text>
      ) : null}
      {pairing.data ? (
        <Paper withBorder radius="md" p="md">
          <Stack gap={4} align="center">
            <Text
              ff="monospace"
              fw={700}
              fz={32}
              lts={2}
              data-testid="pairing-code"
              aria-label={t('channels.pairing.codeLabel')}
            >
              {formatPairingCode(pairing.data.code)}
            </Text>
            <Text size="xs" c="dimmed" ta="center">
              {t('channels.pairing.codeSteps')}
            </Text>
          </Stack>
        </Paper>
      ) : null}
    </Stack>
  );
}
