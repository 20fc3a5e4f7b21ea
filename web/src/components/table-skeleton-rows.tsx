import { Skeleton, Table } from '@mantine/core';

const rowKeys = ['first', 'second', 'third'] as const;

/** Placeholder rows while a table's first page loads (a fixed list: stable keys). */
export function TableSkeletonRows({ columns }: { columns: number }) {
  const cellKeys = Array.from({ length: columns }, (_, column) => `column-${column}`);
  return rowKeys.map((rowKey) => (
    <Table.Tr key={rowKey} aria-hidden>
      {cellKeys.map((cellKey) => (
        <Table.Td key={cellKey}>
          <Skeleton height={14} radius="sm" />
        </Table.Td>
      ))}
    </Table.Tr>
  ));
}
