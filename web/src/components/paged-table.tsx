import {
  Alert,
  Button,
  Center,
  EmptyState,
  Group,
  Paper,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PagedListQuery } from '../api/resource-hooks';
import { describeError } from '../i18n/describe-error';
import { TableSkeletonRows } from './table-skeleton-rows';

export type PagedTableColumn = { key: string; label: string; align?: 'right' };

type PagedTableProps<T> = {
  query: PagedListQuery<T>;
  /** Shown, followed by the error's description, when a page fails to load. */
  loadErrorMessage: string;
  /** Label columns; a last, unlabelled column holds each row's actions. */
  columns: readonly PagedTableColumn[];
  minWidth: number;
  testId: string;
  emptyIcon: ReactNode;
  emptyTitle: string;
  renderRow(item: T): ReactNode;
};

/**
 * A list read page by page: load error with retry, placeholder rows while the first page
 * loads, an empty state, the rows, and a "load more" button while pages remain.
 */
export function PagedTable<T>({
  query,
  loadErrorMessage,
  columns,
  minWidth,
  testId,
  emptyIcon,
  emptyTitle,
  renderRow,
}: PagedTableProps<T>) {
  const { t } = useTranslation();
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  const columnCount = columns.length + 1;
  return (
    <>
      {query.isError ? (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} mb="md">
          <Group justify="space-between">
            <Text size="sm">
              {loadErrorMessage} {describeError(t, query.error)}
            </Text>
            <Button size="xs" variant="white" color="red" onClick={() => void query.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      ) : null}

      <Paper withBorder radius="lg">
        <Table.ScrollContainer minWidth={minWidth}>
          <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid={testId}>
            <Table.Thead>
              <Table.Tr>
                {columns.map((column) => (
                  <Table.Th key={column.key} ta={column.align}>
                    {column.label}
                  </Table.Th>
                ))}
                <Table.Th w={56}>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.isPending ? <TableSkeletonRows columns={columnCount} /> : null}
              {query.isSuccess && items.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={columnCount}>
                    <EmptyState icon={emptyIcon} title={emptyTitle} py="xl" />
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {items.map(renderRow)}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      {query.hasNextPage ? (
        <Center mt="md">
          <Button
            variant="default"
            onClick={() => void query.fetchNextPage()}
            loading={query.isFetchingNextPage}
          >
            {t('common.loadMore')}
          </Button>
        </Center>
      ) : null}
    </>
  );
}
