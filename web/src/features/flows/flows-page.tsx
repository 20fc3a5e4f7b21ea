import { Anchor, Badge, Button, Group, Modal, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { IconActivity, IconGitBranch, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../auth/auth-context';
import { createFormRules } from '../../components/form-rules';
import { ModalForm } from '../../components/modal-form';
import { notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { PagedTable, type PagedTableColumn } from '../../components/paged-table';
import { readFlowConflict } from './flow-errors';
import { formatDateTime } from './flow-format';
import { canManageFlows } from './flow-permissions';
import { flowLocaleOf, newFlowDocument } from './flow-template';
import { type FlowSummary, useCreateFlow, useFlowsQuery } from './flows-api';

/** The tenant's bots: each flow with its latest version and whether its draft can go live. */
export function FlowsPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const isManager = canManageFlows(session);
  const flows = useFlowsQuery();
  const [isCreateOpen, createModal] = useDisclosure(false);
  const columns: PagedTableColumn[] = [
    { key: 'name', label: t('flows.columns.name') },
    { key: 'version', label: t('flows.columns.version') },
    { key: 'draft', label: t('flows.columns.draft') },
    { key: 'updatedAt', label: t('flows.columns.updatedAt') },
  ];

  return (
    <>
      <PageHeader
        title={t('flows.title')}
        description={t('flows.subtitle')}
        actions={
          <>
            <Button
              component={Link}
              to="/flows/sessions"
              variant="default"
              leftSection={<IconActivity size={16} />}
            >
              {t('flows.sessions.title')}
            </Button>
            {isManager ? (
              <Button leftSection={<IconPlus size={16} />} onClick={createModal.open}>
                {t('flows.create')}
              </Button>
            ) : null}
          </>
        }
      />
      <PagedTable
        query={flows}
        loadErrorMessage={t('flows.loadError')}
        columns={columns}
        minWidth={720}
        testId="flows-table"
        emptyIcon={<IconGitBranch size={26} />}
        emptyTitle={isManager ? t('flows.emptyAdmin') : t('flows.empty')}
        renderRow={(flow: FlowSummary) => (
          <Table.Tr key={flow.id} data-testid="flow-row">
            <Table.Td>
              <Anchor component={Link} to={`/flows/${flow.id}`} fw={500} size="sm">
                {flow.name}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <Text size="sm" c={flow.latestVersion === 0 ? 'dimmed' : undefined}>
                {flow.latestVersion === 0
                  ? t('flows.neverPublished')
                  : t('flows.versionNumber', { version: flow.latestVersion })}
              </Text>
            </Table.Td>
            <Table.Td>
              <DraftStatusBadge issueCount={flow.issues.length} />
            </Table.Td>
            <Table.Td>
              <Text size="sm">{formatDateTime(flow.updatedAt, i18n.language)}</Text>
            </Table.Td>
            <Table.Td>
              <Button component={Link} to={`/flows/${flow.id}`} variant="subtle" size="xs">
                {t('flows.open')}
              </Button>
            </Table.Td>
          </Table.Tr>
        )}
      />
      {isManager ? (
        <Modal opened={isCreateOpen} onClose={createModal.close} title={t('flows.create')} centered>
          <CreateFlowForm onDone={createModal.close} />
        </Modal>
      ) : null}
    </>
  );
}

/** "3 problems" or "ready to publish". */
export function DraftStatusBadge({ issueCount }: { issueCount: number }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant="light"
      radius="sm"
      color={issueCount === 0 ? 'teal' : 'orange'}
      data-testid="flow-draft-status"
    >
      {issueCount === 0 ? t('flows.readyToPublish') : t('flows.issueCount', { count: issueCount })}
    </Badge>
  );
}

function CreateFlowForm({ onDone }: { onDone(): void }) {
  const { t, i18n } = useTranslation();
  const rules = createFormRules(i18n);
  const navigate = useNavigate();
  const createFlow = useCreateFlow();
  const form = useForm<{ name: string }>({
    mode: 'controlled',
    initialValues: { name: '' },
    validate: { name: rules.required },
  });

  const submit = form.onSubmit(({ name }) => {
    const document = newFlowDocument(name.trim(), flowLocaleOf(i18n.language), {
      welcome: t('flows.template.welcome'),
      welcomeLabel: t('flows.template.welcomeLabel'),
      orderButton: t('flows.template.orderButton'),
      humanButton: t('flows.template.humanButton'),
      askOrder: t('flows.template.askOrder'),
      askOrderLabel: t('flows.template.askOrderLabel'),
      orderDescription: t('flows.template.orderDescription'),
      // The flow's own template syntax, passed through i18next untouched.
      confirmation: t('flows.template.confirmation', { order: '{{pedido}}' }),
    });
    createFlow.mutate(document, {
      onSuccess: (flow) => {
        notifySuccess(t('flows.notify.created', { name: flow.name }));
        onDone();
        void navigate(`/flows/${flow.id}`);
      },
      onError: (error) => {
        if (readFlowConflict(error)?.kind === 'name-taken') {
          form.setFieldError('name', t('flows.conflicts.nameTaken'));
        }
      },
    });
  });

  const isNameTaken = readFlowConflict(createFlow.error)?.kind === 'name-taken';
  return (
    <ModalForm
      onSubmit={submit}
      onCancel={onDone}
      error={isNameTaken ? null : createFlow.error}
      isPending={createFlow.isPending}
      submitLabel={t('common.create')}
    >
      <TextInput
        label={t('flows.form.name')}
        description={t('flows.form.nameHint')}
        required
        data-autofocus
        autoComplete="off"
        maxLength={120}
        {...form.getInputProps('name')}
      />
      <Group gap="xs">
        <Text size="xs" c="dimmed">
          {t('flows.form.templateHint')}
        </Text>
      </Group>
    </ModalForm>
  );
}
