import {
  Alert,
  Box,
  Button,
  Center,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDocumentTitle } from '@mantine/hooks';
import { IconAlertCircle, IconClockExclamation } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../../auth/auth-context';
import type { LoginRedirectState } from '../../auth/route-guards';
import { BrandMark } from '../../components/brand-mark';
import { createFormRules } from '../../components/form-rules';
import { FullPageLoader } from '../../components/full-page-loader';
import { PasswordField } from '../../components/password-field';
import { ColorSchemeToggle, LanguagePicker } from '../../components/preference-controls';
import { describeError } from '../../i18n/describe-error';
import classes from './login-page.module.css';

type LoginValues = { email: string; password: string };

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const { state, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const redirect = (location.state ?? {}) as LoginRedirectState;
  const target = redirect.from && redirect.from !== '/login' ? redirect.from : '/';
  useDocumentTitle(`${t('login.submit')} · ${t('app.name')}`);
  const rules = createFormRules(i18n);

  const form = useForm<LoginValues>({
    mode: 'controlled',
    initialValues: { email: '', password: '' },
    validate: { email: rules.email, password: rules.required },
  });

  const mutation = useMutation({
    mutationFn: (values: LoginValues) =>
      login({ email: values.email.trim(), password: values.password }),
    onSuccess: () => navigate(target, { replace: true }),
  });

  if (state.status === 'restoring') return <FullPageLoader />;
  if (state.status === 'signed-in' && !mutation.isPending) return <Navigate to={target} replace />;

  const showExpired = redirect.isExpired && !mutation.isError;

  return (
    <Box className={classes.background}>
      <Group className={classes.toolbar} gap="xs">
        <LanguagePicker />
        <ColorSchemeToggle />
      </Group>
      <Center mih="100dvh" p="md">
        <Stack w="100%" maw={420} gap="lg">
          <Center>
            <BrandMark size="lg" />
          </Center>
          <Paper withBorder shadow="md" radius="lg" p={32} component="main">
            <Stack gap={4} mb="lg">
              <Title order={2} fz={24}>
                {t('login.title')}
              </Title>
              <Text c="dimmed" size="sm">
                {t('login.subtitle')}
              </Text>
            </Stack>
            <form onSubmit={form.onSubmit((values) => mutation.mutate(values))} noValidate>
              <Stack gap="md">
                {mutation.isError ? (
                  <Alert
                    color="red"
                    variant="light"
                    icon={<IconAlertCircle size={18} />}
                    title={t('login.errorTitle')}
                    data-testid="login-error"
                  >
                    {describeError(t, mutation.error)}
                  </Alert>
                ) : null}
                {showExpired ? (
                  <Alert color="yellow" variant="light" icon={<IconClockExclamation size={18} />}>
                    {t('login.sessionExpired')}
                  </Alert>
                ) : null}
                <TextInput
                  label={t('login.email')}
                  placeholder={t('login.emailPlaceholder')}
                  type="email"
                  autoComplete="username"
                  autoFocus
                  required
                  {...form.getInputProps('email')}
                />
                <PasswordField
                  label={t('login.password')}
                  placeholder={t('login.passwordPlaceholder')}
                  autoComplete="current-password"
                  required
                  {...form.getInputProps('password')}
                />
                <Button type="submit" size="md" fullWidth mt="xs" loading={mutation.isPending}>
                  {t('login.submit')}
                </Button>
              </Stack>
            </form>
          </Paper>
          <Text c="dimmed" size="xs" ta="center">
            {t('login.footer')}
          </Text>
        </Stack>
      </Center>
    </Box>
  );
}
