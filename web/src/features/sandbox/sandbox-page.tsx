import {
  Alert,
  Button,
  Center,
  EmptyState,
  Grid,
  Loader,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertCircle, IconDeviceMobileMessage, IconUserPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/auth-context';
import { PageHeader } from '../../components/page-header';
import { describeError } from '../../i18n/describe-error';
import { canManageChannels } from '../channels/channel-permissions';
import { useChannelsQuery } from '../channels/channels-api';
import { concernsThread } from '../conversations/messaging-events';
import {
  useMessagingEvents,
  useRefetchAfterReconnect,
} from '../conversations/use-messaging-events';
import { sandboxThreadQueryKey, useSandboxThreadQuery } from './sandbox-api';
import { SandboxPhone } from './sandbox-phone';
import {
  loadSimulatedUser,
  randomSimulatedUser,
  type SimulatedUser,
  saveSimulatedUser,
} from './simulated-user';

/** Rough check before asking the server: a "+" or digits, 8 to 15 of them. */
function looksLikePhone(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  return /^\+?[\d\s().-]+$/.test(value.trim()) && digits.length >= 8 && digits.length <= 15;
}

/** Talk to a sandbox channel as a simulated WhatsApp user, to try bots without a phone. */
export function SandboxPage() {
  const { t } = useTranslation();
  const session = useSession();
  const queryClient = useQueryClient();
  const channels = useChannelsQuery();
  const sandboxChannels = useMemo(
    () => (channels.data ?? []).filter((channel) => channel.provider === 'sandbox'),
    [channels.data],
  );
  const [chosenChannelId, setChosenChannelId] = useState<string | null>(null);
  const channel =
    sandboxChannels.find((candidate) => candidate.id === chosenChannelId) ?? sandboxChannels[0];
  const [user, setUser] = useState<SimulatedUser>(() => loadSimulatedUser(window.localStorage));
  // The phone the chat uses: a typed number once typing pauses, a generated one at once (so a
  // message sent right after "New user" never leaves from the previous number).
  const [activePhone, setActivePhone] = useState(user.phone.trim());
  useEffect(() => {
    const timer = window.setTimeout(() => setActivePhone(user.phone.trim()), 400);
    return () => window.clearTimeout(timer);
  }, [user.phone]);
  const activeUser = looksLikePhone(activePhone)
    ? { phone: activePhone, name: user.name }
    : undefined;
  const thread = useSandboxThreadQuery(channel?.id, activeUser?.phone);

  const changeUser = (next: SimulatedUser, isTyped = true) => {
    setUser(next);
    if (!isTyped) setActivePhone(next.phone);
    saveSimulatedUser(window.localStorage, next);
  };

  useMessagingEvents((event) => {
    if (!channel || !activeUser) return;
    const conversationId = thread.data?.conversationId ?? null;
    if (concernsThread(event, { conversationId, channelId: channel.id })) {
      void queryClient.invalidateQueries({
        queryKey: sandboxThreadQueryKey(channel.id, activeUser.phone),
      });
    }
  });
  useRefetchAfterReconnect([['sandbox-thread']]);

  const header = <PageHeader title={t('sandbox.title')} description={t('sandbox.subtitle')} />;

  if (channels.isPending) {
    return (
      <>
        {header}
        <Center py="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      </>
    );
  }
  if (channels.isError) {
    return (
      <>
        {header}
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
          {t('channels.loadError')} {describeError(t, channels.error)}
        </Alert>
      </>
    );
  }
  if (!channel) {
    return (
      <>
        {header}
        <EmptyState
          icon={<IconDeviceMobileMessage size={28} />}
          title={t('sandbox.noChannel')}
          description={
            canManageChannels(session) ? t('sandbox.noChannelAdmin') : t('sandbox.noChannelAsk')
          }
          mt="xl"
        >
          {canManageChannels(session) ? (
            <Button component={Link} to="/channels" mt="sm">
              {t('sandbox.goToChannels')}
            </Button>
          ) : null}
        </EmptyState>
      </>
    );
  }

  const isPhoneValid = looksLikePhone(user.phone);

  return (
    <>
      {header}
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 5, lg: 4 }}>
          <Paper withBorder radius="lg" p="md">
            <Stack gap="sm">
              <Title order={4}>{t('sandbox.user.title')}</Title>
              <Text size="sm" c="dimmed">
                {t('sandbox.user.hint')}
              </Text>
              <Select
                label={t('sandbox.channel')}
                data={sandboxChannels.map((candidate) => ({
                  value: candidate.id,
                  label: candidate.name,
                }))}
                value={channel.id}
                onChange={(value) => value && setChosenChannelId(value)}
                allowDeselect={false}
              />
              <TextInput
                label={t('sandbox.user.phone')}
                description={t('sandbox.user.phoneHint')}
                inputMode="tel"
                autoComplete="off"
                value={user.phone}
                error={isPhoneValid ? undefined : t('sandbox.user.phoneInvalid')}
                onChange={(event) => changeUser({ ...user, phone: event.currentTarget.value })}
              />
              <TextInput
                label={t('sandbox.user.name')}
                autoComplete="off"
                maxLength={120}
                value={user.name}
                onChange={(event) => changeUser({ ...user, name: event.currentTarget.value })}
              />
              <Button
                variant="light"
                leftSection={<IconUserPlus size={16} />}
                onClick={() => changeUser(randomSimulatedUser(), false)}
              >
                {t('sandbox.user.new')}
              </Button>
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7, lg: 8 }}>
          <Center>
            <SandboxPhone channelId={channel.id} channelName={channel.name} user={activeUser} />
          </Center>
        </Grid.Col>
      </Grid>
    </>
  );
}
