import { Alert, Button, Center, Loader, Modal, Table, Text } from '@mantine/core';
import { IconAlertCircle, IconHistory } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PagedTable, type PagedTableColumn } from '../../components/paged-table';
import { describeError } from '../../i18n/describe-error';
import { formatDateTime } from './flow-format';
import { formatFlowDocument } from './flow-template';
import { type FlowVersionSummary, useFlowVersionQuery, useFlowVersionsQuery } from './flows-api';
import { JsonEditor } from './json-editor';

/** Published versions, newest first; each opens read-only (they never change). */
export function FlowVersionsPanel({ flowId }: { flowId: string }) {
  const { t, i18n } = useTranslation();
  const versions = useFlowVersionsQuery(flowId);
  const [shown, setShown] = useState<number | null>(null);
  // The modal keeps its version while it animates closed.
  const [lastShown, setLastShown] = useState<number | null>(null);
  if (shown !== null && shown !== lastShown) setLastShown(shown);
  const columns: PagedTableColumn[] = [
    { key: 'version', label: t('flows.versions.version') },
    { key: 'createdAt', label: t('flows.versions.publishedAt') },
  ];

  return (
    <>
      <PagedTable
        query={versions}
        loadErrorMessage={t('flows.versions.loadError')}
        columns={columns}
        minWidth={480}
        testId="flow-versions"
        emptyIcon={<IconHistory size={26} />}
        emptyTitle={t('flows.versions.empty')}
        renderRow={(version: FlowVersionSummary) => (
          <Table.Tr key={version.id} data-testid="flow-version-row">
            <Table.Td>
              <Text size="sm" fw={500}>
                {t('flows.versionNumber', { version: version.version })}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{formatDateTime(version.createdAt, i18n.language)}</Text>
            </Table.Td>
            <Table.Td>
              <Button variant="subtle" size="xs" onClick={() => setShown(version.version)}>
                {t('flows.versions.view', { version: version.version })}
              </Button>
            </Table.Td>
          </Table.Tr>
        )}
      />
      <Modal
        opened={shown !== null}
        onClose={() => setShown(null)}
        title={t('flows.versions.title', { version: lastShown ?? '' })}
        size="xl"
        centered
      >
        {lastShown !== null ? <VersionDocument flowId={flowId} version={lastShown} /> : null}
      </Modal>
    </>
  );
}

function VersionDocument({ flowId, version }: { flowId: string; version: number }) {
  const { t } = useTranslation();
  const query = useFlowVersionQuery(flowId, version);
  if (query.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (query.isError) {
    return (
      <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
        {t('flows.versions.loadError')} {describeError(t, query.error)}
      </Alert>
    );
  }
  return (
    <JsonEditor
      value={formatFlowDocument(query.data.document)}
      readOnly
      label={t('flows.versions.documentLabel', { version })}
      height="65dvh"
      testId="flow-version-json"
    />
  );
}
