import { Alert, Badge, Button, Center, Group, Loader, Stack, Tabs, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import {
  IconActivity,
  IconAlertCircle,
  IconBraces,
  IconDeviceFloppy,
  IconHierarchy2,
  IconHistory,
  IconPlugConnected,
  IconRocket,
} from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useSession } from '../../auth/auth-context';
import { notifyFailure, notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { describeError } from '../../i18n/describe-error';
import { FlowChannelsPanel } from './flow-channels-panel';
import { describeFlowError } from './flow-errors';
import { FlowGraphPanel } from './flow-graph-panel';
import { FlowIssuesPanel } from './flow-issues-panel';
import { canManageFlows } from './flow-permissions';
import { formatFlowDocument } from './flow-template';
import { FlowVersionsPanel } from './flow-versions-panel';
import {
  type Flow,
  useFlowQuery,
  useFlowValidation,
  usePublishFlow,
  useSaveFlow,
} from './flows-api';
import { JsonEditor, type JsonEditorHandle } from './json-editor';
import { parseJsonSource, selectionForPath, type TextRange } from './json-source';

/** How long typing must pause before the text is checked (locally, then by the server). */
const validationDelayMs = 400;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One flow: its JSON with live validation, the graph, versions and channel bindings. */
export function FlowEditorPage() {
  const { t } = useTranslation();
  const { flowId = '' } = useParams<{ flowId: string }>();
  const flow = useFlowQuery(flowId);

  if (flow.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (flow.isError) {
    return (
      <>
        <PageHeader title={t('flows.title')} />
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
          <Group justify="space-between">
            <Text size="sm">
              {t('flows.editor.loadError')} {describeError(t, flow.error)}
            </Text>
            <Button size="xs" variant="white" color="red" onClick={() => void flow.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      </>
    );
  }
  return <FlowEditor key={flow.data.id} flow={flow.data} />;
}

function FlowEditor({ flow }: { flow: Flow }) {
  const { t } = useTranslation();
  const session = useSession();
  const isManager = canManageFlows(session);
  const editor = useRef<JsonEditorHandle>(null);
  const [initialText] = useState(() => formatFlowDocument(flow.draft));
  const [text, setText] = useState(initialText);
  const [savedText, setSavedText] = useState(initialText);
  const [checkedText] = useDebouncedValue(text, validationDelayMs);
  const parsed = useMemo(() => parseJsonSource(checkedText), [checkedText]);
  const document = parsed.ok && isRecord(parsed.value) ? parsed.value : undefined;
  const validation = useFlowValidation(checkedText, document);
  const saveFlow = useSaveFlow(flow.id);
  const publishFlow = usePublishFlow(flow.id);
  const [isPublishing, setIsPublishing] = useState(false);
  // The graph keeps drawing the last text that was JSON while the current one is not.
  const [graphDocument, setGraphDocument] = useState<unknown>(flow.draft);
  useEffect(() => {
    if (parsed.ok) setGraphDocument(parsed.value);
  }, [parsed]);

  const isChecking =
    text !== checkedText ||
    (document !== undefined && (validation.isFetching || validation.isPlaceholderData));
  const issues = validation.data?.issues ?? (checkedText === initialText ? flow.issues : []);
  const isDirty = text !== savedText;
  // Closing or reloading the tab with unsaved changes asks first.
  useEffect(() => {
    if (!isDirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [isDirty]);
  const canPublish =
    isManager &&
    !isChecking &&
    document !== undefined &&
    validation.isSuccess &&
    issues.length === 0 &&
    !saveFlow.isPending &&
    !isPublishing;

  const select = (range: TextRange) => editor.current?.select(range);
  const selectPath = (path: readonly (string | number)[]) => {
    const source = text === checkedText ? parsed : parseJsonSource(text);
    const range = source.ok ? selectionForPath(source.ranges, path) : undefined;
    if (range) select(range);
  };

  /** The current text as a document to send, or undefined (with a notice) when it is not one. */
  const currentDocument = (): Record<string, unknown> | undefined => {
    const current = parseJsonSource(text);
    if (current.ok && isRecord(current.value)) return current.value;
    notifyFailure(t('flows.editor.cannotSave'), t('flows.editor.fixJsonFirst'));
    return undefined;
  };

  const save = () => {
    const value = currentDocument();
    if (!value) return;
    const sent = text;
    saveFlow.mutate(value, {
      onSuccess: () => {
        setSavedText(sent);
        notifySuccess(t('flows.notify.saved'));
      },
      onError: (error) => notifyFailure(t('flows.editor.cannotSave'), describeFlowError(t, error)),
    });
  };

  const publish = async () => {
    const value = isDirty ? currentDocument() : undefined;
    if (isDirty && !value) return;
    setIsPublishing(true);
    try {
      if (value) {
        const sent = text;
        await saveFlow.mutateAsync(value);
        setSavedText(sent);
      }
      const version = await publishFlow.mutateAsync();
      notifySuccess(t('flows.notify.published', { version: version.version, name: flow.name }));
    } catch (error) {
      notifyFailure(t('flows.editor.cannotPublish'), describeFlowError(t, error));
    } finally {
      setIsPublishing(false);
    }
  };

  return (
    <>
      <PageHeader
        title={flow.name}
        description={
          <Group gap="xs" component="span">
            <Badge
              component="span"
              variant="light"
              radius="sm"
              color={flow.latestVersion === 0 ? 'gray' : 'teal'}
              data-testid="flow-latest-version"
            >
              {flow.latestVersion === 0
                ? t('flows.neverPublished')
                : t('flows.publishedVersion', { version: flow.latestVersion })}
            </Badge>
            {isDirty ? (
              <Text span size="sm" c="orange" data-testid="flow-unsaved">
                {t('flows.editor.unsaved')}
              </Text>
            ) : null}
          </Group>
        }
        actions={
          <>
            <Button
              component={Link}
              to={`/flows/sessions?flowId=${flow.id}`}
              variant="default"
              leftSection={<IconActivity size={16} />}
            >
              {t('flows.sessions.title')}
            </Button>
            {isManager ? (
              <>
                <Button
                  variant="default"
                  leftSection={<IconDeviceFloppy size={16} />}
                  onClick={save}
                  loading={saveFlow.isPending && !isPublishing}
                  disabled={!isDirty || isPublishing}
                >
                  {t('flows.editor.save')}
                </Button>
                <Button
                  leftSection={<IconRocket size={16} />}
                  onClick={() => void publish()}
                  loading={isPublishing}
                  disabled={!canPublish}
                  title={canPublish ? undefined : t('flows.editor.publishDisabled')}
                >
                  {isDirty ? t('flows.editor.saveAndPublish') : t('flows.editor.publish')}
                </Button>
              </>
            ) : null}
          </>
        }
      />

      <Tabs defaultValue="editor" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="editor" leftSection={<IconBraces size={16} />}>
            {t('flows.tabs.editor')}
          </Tabs.Tab>
          <Tabs.Tab value="graph" leftSection={<IconHierarchy2 size={16} />}>
            {t('flows.tabs.graph')}
          </Tabs.Tab>
          <Tabs.Tab value="versions" leftSection={<IconHistory size={16} />}>
            {t('flows.tabs.versions')}
          </Tabs.Tab>
          <Tabs.Tab value="channels" leftSection={<IconPlugConnected size={16} />}>
            {t('flows.tabs.channels')}
          </Tabs.Tab>
        </Tabs.List>

        <Tabs.Panel value="editor">
          <Stack gap="md">
            {isManager ? null : (
              <Text size="sm" c="dimmed">
                {t('flows.editor.readOnly')}
              </Text>
            )}
            <JsonEditor
              ref={editor}
              value={text}
              onChange={isManager ? setText : undefined}
              readOnly={!isManager}
              label={t('flows.editor.label')}
              height="max(360px, calc(100dvh - 480px))"
              testId="flow-json"
            />
            <FlowIssuesPanel
              syntaxError={parsed.ok ? undefined : parsed.error}
              isNotObject={parsed.ok && document === undefined}
              validation={validation}
              issues={issues}
              isChecking={isChecking}
              onSelect={select}
              onSelectPath={selectPath}
            />
          </Stack>
        </Tabs.Panel>

        <Tabs.Panel value="graph">
          <FlowGraphPanel document={graphDocument} isStale={!parsed.ok} />
        </Tabs.Panel>

        <Tabs.Panel value="versions">
          <FlowVersionsPanel flowId={flow.id} />
        </Tabs.Panel>

        <Tabs.Panel value="channels">
          <FlowChannelsPanel flow={flow} isManager={isManager} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
