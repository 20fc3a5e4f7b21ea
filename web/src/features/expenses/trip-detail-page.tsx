import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Group,
  Image,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import {
  IconAlertCircle,
  IconArrowLeft,
  IconChevronDown,
  IconChevronRight,
  IconFileSpreadsheet,
  IconFileTypePdf,
  IconPhotoOff,
} from '@tabler/icons-react';
import { Fragment, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApiClient } from '../../api/api-context';
import { notifyFailure } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { useObjectUrl } from '../../components/use-object-url';
import { describeError } from '../../i18n/describe-error';
import { formatDate, formatNumber } from '../../i18n/format';
import { useMediaBlobQuery } from '../conversations/conversations-api';
import { fetchWithSession } from '../conversations/session-fetch';
import { ReceiptStatusBadge, TripStatusBadge } from './expense-labels';
import { type Receipt, type TripDetail, type TripReport, useTripQuery } from './expenses-api';
import { formatDay, formatMoney } from './expenses-format';

/** One trip: who, where, its receipts (with items and photo), totals and reports. */
export function TripDetailPage() {
  const { t } = useTranslation();
  const { tripId = '' } = useParams();
  const trip = useTripQuery(tripId);

  const back = (
    <Anchor component={Link} to="/expenses" size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} />
        {t('expenses.trip.back')}
      </Group>
    </Anchor>
  );
  if (trip.isError) {
    return (
      <Stack>
        {back}
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
          {t('expenses.trip.loadError')} {describeError(t, trip.error)}
        </Alert>
      </Stack>
    );
  }
  if (!trip.data) {
    return (
      <Stack>
        {back}
        <Skeleton h={40} w={320} />
        <Skeleton h={200} />
      </Stack>
    );
  }
  return (
    <Stack gap="lg">
      {back}
      <TripHeader trip={trip.data} />
      <ReceiptsTable receipts={trip.data.receipts} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TotalsPanel trip={trip.data} />
        <ReportsPanel trip={trip.data} />
      </SimpleGrid>
    </Stack>
  );
}

function TripHeader({ trip }: { trip: TripDetail }) {
  const { t, i18n } = useTranslation();
  const fields: { label: string; value: ReactNode; testId: string }[] = [
    {
      label: t('expenses.trip.traveller'),
      value: `${trip.traveller.name} · ${trip.traveller.company}`,
      testId: 'trip-traveller',
    },
    { label: t('expenses.trip.destination'), value: trip.destination, testId: 'trip-destination' },
    { label: t('expenses.trip.costCentre'), value: trip.costCentre, testId: 'trip-cost-centre' },
    {
      label: t('expenses.trip.daysLabel'),
      value: t('expenses.trip.days', { count: trip.days }),
      testId: 'trip-days',
    },
    {
      label: t('expenses.trip.startedAt'),
      value: formatDate(trip.startedAt, i18n.language),
      testId: 'trip-started',
    },
    {
      label: t('expenses.trip.status'),
      value: <TripStatusBadge status={trip.status} />,
      testId: 'trip-status-field',
    },
  ];
  if (trip.closedAt) {
    fields.push({
      label: t('expenses.trip.closedAt'),
      value: formatDate(trip.closedAt, i18n.language),
      testId: 'trip-closed',
    });
  }
  return (
    <>
      <PageHeader title={t('expenses.trip.title', { destination: trip.destination })} />
      <Paper withBorder radius="lg" p="md">
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="md">
          {fields.map((field) => (
            <Stack key={field.testId} gap={2}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {field.label}
              </Text>
              <Text size="sm" component="div" data-testid={field.testId}>
                {field.value}
              </Text>
            </Stack>
          ))}
        </SimpleGrid>
      </Paper>
    </>
  );
}

function ReceiptsTable({ receipts }: { receipts: Receipt[] }) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const columnCount = 8;
  return (
    <Stack gap="xs">
      <Title order={3}>{t('expenses.trip.receipts')}</Title>
      <Paper withBorder radius="lg">
        <Table.ScrollContainer minWidth={860}>
          <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="receipts-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={44} />
                <Table.Th>{t('expenses.receipts.columns.date')}</Table.Th>
                <Table.Th>{t('expenses.receipts.columns.issuer')}</Table.Th>
                <Table.Th>{t('expenses.receipts.columns.taxId')}</Table.Th>
                <Table.Th>{t('expenses.receipts.columns.source')}</Table.Th>
                <Table.Th>{t('expenses.receipts.columns.status')}</Table.Th>
                <Table.Th ta="right">{t('expenses.receipts.columns.total')}</Table.Th>
                <Table.Th>{t('expenses.receipts.columns.currency')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {receipts.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={columnCount}>
                    <Text c="dimmed" size="sm" ta="center" py="md">
                      {t('expenses.receipts.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {receipts.map((receipt) => (
                <ReceiptRows
                  key={receipt.id}
                  receipt={receipt}
                  isExpanded={expanded.has(receipt.id)}
                  onToggle={() => toggle(receipt.id)}
                  columnCount={columnCount}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    </Stack>
  );
}

function ReceiptRows({
  receipt,
  isExpanded,
  onToggle,
  columnCount,
}: {
  receipt: Receipt;
  isExpanded: boolean;
  onToggle(): void;
  columnCount: number;
}) {
  const { t, i18n } = useTranslation();
  const unknown = t('expenses.receipts.unknown');
  const toggleLabel = isExpanded ? t('expenses.receipts.collapse') : t('expenses.receipts.expand');
  const issuer = receipt.issuer.name ?? receipt.description ?? unknown;
  return (
    <Fragment>
      <Table.Tr data-testid="receipt-row" data-receipt-status={receipt.status}>
        <Table.Td>
          <ActionIcon
            variant="subtle"
            color="gray"
            onClick={onToggle}
            aria-label={`${toggleLabel}: ${issuer}`}
            aria-expanded={isExpanded}
          >
            {isExpanded ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
          </ActionIcon>
        </Table.Td>
        <Table.Td>
          {receipt.issueDate ? formatDay(receipt.issueDate, i18n.language) : unknown}
        </Table.Td>
        <Table.Td>{issuer}</Table.Td>
        <Table.Td>{receipt.issuer.taxId ?? unknown}</Table.Td>
        <Table.Td>{t(`expenses.receiptSource.${receipt.source}`)}</Table.Td>
        <Table.Td>
          <ReceiptStatusBadge status={receipt.status} />
        </Table.Td>
        <Table.Td ta="right" data-testid="receipt-total">
          {receipt.total ? (
            formatMoney(receipt.total, i18n.language)
          ) : receipt.declaredTotal ? (
            <Text size="sm" c="dimmed">
              {t('expenses.receipts.declared', {
                amount: formatMoney(receipt.declaredTotal, i18n.language),
              })}
            </Text>
          ) : (
            unknown
          )}
        </Table.Td>
        <Table.Td>{receipt.currency}</Table.Td>
      </Table.Tr>
      {isExpanded ? (
        <Table.Tr data-testid="receipt-details">
          <Table.Td colSpan={columnCount} bg="var(--mantine-color-default-hover)">
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
              <ReceiptItems receipt={receipt} />
              <ReceiptPhoto mediaId={receipt.photoMediaId} />
            </SimpleGrid>
          </Table.Td>
        </Table.Tr>
      ) : null}
    </Fragment>
  );
}

function ReceiptItems({ receipt }: { receipt: Receipt }) {
  const { t, i18n } = useTranslation();
  const money = (cents: number) =>
    formatMoney({ cents, currency: receipt.currency }, i18n.language);
  return (
    <Stack gap="xs">
      <Text fw={600} size="sm">
        {t('expenses.receipts.items')}
      </Text>
      {receipt.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('expenses.receipts.noItems')}
        </Text>
      ) : (
        <Table withRowBorders={false} verticalSpacing={4} data-testid="receipt-items">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('expenses.receipts.itemColumns.description')}</Table.Th>
              <Table.Th ta="right">{t('expenses.receipts.itemColumns.quantity')}</Table.Th>
              <Table.Th ta="right">{t('expenses.receipts.itemColumns.unitPrice')}</Table.Th>
              <Table.Th ta="right">{t('expenses.receipts.itemColumns.total')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {receipt.items.map((item, index) => (
              // Items have no id; their order on the receipt is stable.
              // biome-ignore lint/suspicious/noArrayIndexKey: items are never reordered
              <Table.Tr key={index}>
                <Table.Td>{item.description}</Table.Td>
                <Table.Td ta="right">
                  {formatNumber(item.quantity, i18n.language)} {item.unit}
                </Table.Td>
                <Table.Td ta="right">{money(item.unitPriceCents)}</Table.Td>
                <Table.Td ta="right">{money(item.totalCents)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function ReceiptPhoto({ mediaId }: { mediaId: string | null }) {
  const { t } = useTranslation();
  const media = useMediaBlobQuery(mediaId ?? undefined);
  const url = useObjectUrl(media.data);
  let body: ReactNode;
  if (!mediaId) {
    body = (
      <Text size="sm" c="dimmed">
        {t('expenses.receipts.noPhoto')}
      </Text>
    );
  } else if (media.isError) {
    body = (
      <Group gap={6} c="dimmed">
        <IconPhotoOff size={18} />
        <Text size="sm">{t('expenses.receipts.photoError')}</Text>
      </Group>
    );
  } else if (!url) {
    body = <Skeleton h={200} w={260} radius="md" />;
  } else {
    body = (
      <Image
        src={url}
        alt={t('expenses.receipts.photo')}
        maw={320}
        mah={400}
        fit="contain"
        radius="md"
        data-testid="receipt-photo"
      />
    );
  }
  return (
    <Stack gap="xs">
      <Text fw={600} size="sm">
        {t('expenses.receipts.photo')}
      </Text>
      {body}
    </Stack>
  );
}

function TotalsPanel({ trip }: { trip: TripDetail }) {
  const { t, i18n } = useTranslation();
  return (
    <Paper withBorder radius="lg" p="md" data-testid="trip-totals">
      <Stack gap="xs">
        <Title order={4}>{t('expenses.trip.totals')}</Title>
        {trip.totals.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('expenses.trip.noTotals')}
          </Text>
        ) : null}
        {trip.totals.map((total) => (
          <Group key={total.currency} justify="space-between" data-testid="trip-total-line">
            <Text size="sm" c="dimmed">
              {t('expenses.trip.totalReceipts', { count: total.receiptCount })}
            </Text>
            <Text fw={700} size="lg" data-currency={total.currency}>
              {formatMoney(total, i18n.language)}
            </Text>
          </Group>
        ))}
        {trip.unconfirmedCount > 0 ? (
          <Text size="xs" c="orange">
            {t('expenses.trip.unconfirmed', { count: trip.unconfirmedCount })}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}

const reportIcons: Record<TripReport['kind'], ReactNode> = {
  pdf: <IconFileTypePdf size={16} />,
  xlsx: <IconFileSpreadsheet size={16} />,
};

function ReportsPanel({ trip }: { trip: TripDetail }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="lg" p="md" data-testid="trip-reports">
      <Stack gap="xs">
        <Title order={4}>{t('expenses.trip.reports')}</Title>
        {trip.status !== 'closed' ? (
          <Text size="sm" c="dimmed">
            {t('expenses.trip.reportsWhenClosed')}
          </Text>
        ) : trip.reports.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('expenses.trip.noReports')}
          </Text>
        ) : (
          <Group gap="sm">
            {trip.reports.map((report) => (
              <ReportDownload key={report.id} report={report} />
            ))}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function ReportDownload({ report }: { report: TripReport }) {
  const { t } = useTranslation();
  const api = useApiClient();
  const [isLoading, setIsLoading] = useState(false);
  const kind = report.kind.toUpperCase();

  const download = async () => {
    setIsLoading(true);
    try {
      const response = await fetchWithSession(
        api,
        `/expenses/reports/${encodeURIComponent(report.id)}.${report.kind}`,
      );
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = report.fileName;
      link.click();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      notifyFailure(t('expenses.trip.downloadError'), describeError(t, error));
    } finally {
      setIsLoading(false);
    }
  };

  return (
    <Button
      variant="default"
      leftSection={reportIcons[report.kind]}
      loading={isLoading}
      onClick={() => void download()}
    >
      {t('expenses.trip.download', { kind })}
    </Button>
  );
}
