import {
  ActionIcon,
  Alert,
  Button,
  CopyButton,
  Group,
  Stack,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconCheck, IconCopy, IconKey } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

type TemporaryPasswordPanelProps = {
  password: string;
  name: string;
  email: string;
  onDone(): void;
};

/** Shows a generated password once, with a copy button; the API never returns it again. */
export function TemporaryPasswordPanel({
  password,
  name,
  email,
  onDone,
}: TemporaryPasswordPanelProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <Alert color="yellow" variant="light" icon={<IconKey size={18} />}>
        {t('temporaryPassword.body', { name, email })}
      </Alert>
      <TextInput
        label={t('temporaryPassword.label')}
        value={password}
        readOnly
        data-testid="temporary-password"
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        onFocus={(event) => event.currentTarget.select()}
        rightSection={
          <CopyButton value={password} timeout={2000}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? t('temporaryPassword.copied') : t('temporaryPassword.copy')}>
                <ActionIcon
                  variant="subtle"
                  color={copied ? 'teal' : 'gray'}
                  onClick={copy}
                  aria-label={t('temporaryPassword.copy')}
                >
                  {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        }
      />
      <Group justify="flex-end">
        <Button onClick={onDone}>{t('common.done')}</Button>
      </Group>
    </Stack>
  );
}
