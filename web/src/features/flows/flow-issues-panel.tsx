import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { IconAlertCircle, IconCircleCheck, IconCode } from '@tabler/icons-react';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../i18n/describe-error';
import type { FlowIssue, FlowValidation } from './flows-api';
import type { JsonSyntaxError, TextRange } from './json-source';

type FlowIssuesPanelProps = {
  syntaxError: JsonSyntaxError | undefined;
  /** The text is JSON, but not an object. */
  isNotObject: boolean;
  validation: UseQueryResult<FlowValidation>;
  issues: readonly FlowIssue[];
  isChecking: boolean;
  onSelect(range: TextRange): void;
  onSelectPath(path: readonly (string | number)[]): void;
};

/**
 * What is wrong with the text under the editor: a JSON syntax mistake (line and column,
 * found before asking the server), else the server's issues, each with its JSON path;
 * clicking one selects that place in the editor.
 */
export function FlowIssuesPanel({
  syntaxError,
  isNotObject,
  validation,
  issues,
  isChecking,
  onSelect,
  onSelectPath,
}: FlowIssuesPanelProps) {
  const { t } = useTranslation();

  if (syntaxError) {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconCode size={18} />}
        title={t('flows.issues.syntaxTitle', {
          line: syntaxError.line,
          column: syntaxError.column,
        })}
        data-testid="flow-syntax-error"
      >
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm">
            {t(`flows.syntax.${syntaxError.code}`, { found: syntaxError.found ?? '' })}
          </Text>
          <Button
            size="xs"
            variant="white"
            color="red"
            onClick={() => onSelect({ start: syntaxError.offset, end: syntaxError.offset + 1 })}
          >
            {t('flows.issues.showInEditor')}
          </Button>
        </Group>
      </Alert>
    );
  }
  if (isNotObject) {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconCode size={18} />}
        data-testid="flow-syntax-error"
      >
        {t('flows.issues.notObject')}
      </Alert>
    );
  }
  if (validation.isError) {
    return (
      <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
        <Group justify="space-between">
          <Text size="sm">
            {t('flows.issues.checkFailed')} {describeError(t, validation.error)}
          </Text>
          <Button size="xs" variant="white" color="red" onClick={() => void validation.refetch()}>
            {t('common.retry')}
          </Button>
        </Group>
      </Alert>
    );
  }

  return (
    <Paper withBorder radius="md" p="sm" data-testid="flow-issues" aria-live="polite">
      <Group gap="xs" mb={issues.length > 0 ? 'xs' : 0}>
        {issues.length === 0 ? (
          <IconCircleCheck size={18} color="var(--mantine-color-teal-6)" />
        ) : (
          <IconAlertCircle size={18} color="var(--mantine-color-orange-6)" />
        )}
        <Text size="sm" fw={600} data-testid="flow-issues-summary">
          {issues.length === 0
            ? t('flows.readyToPublish')
            : t('flows.issueCount', { count: issues.length })}
        </Text>
        {isChecking ? (
          <Group gap={6}>
            <Loader size={12} />
            <Text size="xs" c="dimmed">
              {t('flows.issues.checking')}
            </Text>
          </Group>
        ) : null}
      </Group>
      <Stack gap={2}>
        {issues.map((issue) => (
          <UnstyledButton
            key={`${issue.pointer}\u0000${issue.code}\u0000${issue.message}`}
            onClick={() => onSelectPath(issue.path)}
            px="xs"
            py={6}
            style={{ borderRadius: 'var(--mantine-radius-sm)' }}
            data-testid="flow-issue"
            title={t('flows.issues.select')}
          >
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Code data-testid="flow-issue-pointer">{issue.pointer}</Code>
              <Badge variant="light" color="orange" radius="sm" size="sm">
                {t(`flows.issueCodes.${issue.code}`)}
              </Badge>
              <Text size="sm" data-testid="flow-issue-message">
                {issue.message}
              </Text>
            </Group>
          </UnstyledButton>
        ))}
      </Stack>
    </Paper>
  );
}
