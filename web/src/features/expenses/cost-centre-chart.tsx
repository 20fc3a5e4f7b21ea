import { Alert, Group, Paper, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../i18n/describe-error';
import { useCostCentreSummaryQuery } from './expenses-api';
import { type CostCentreBar, formatMoney, toCostCentreBars } from './expenses-format';

const barHeight = 26;
const rowGap = 12;
const labelWidth = 160;
const chartWidth = 640;
const valueWidth = 150;

/** Totals by cost centre over a period: one horizontal bar chart (plain SVG) per currency. */
export function CostCentrePanel() {
  const { t } = useTranslation();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const summary = useCostCentreSummaryQuery({ from: from || undefined, to: to || undefined });
  const bars = summary.data ? toCostCentreBars(summary.data) : [];
  const currencies = [...new Set(bars.map((bar) => bar.currency))];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={3}>{t('expenses.costCentres.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('expenses.costCentres.description')}
          </Text>
        </Stack>
        <Group gap="sm">
          <TextInput
            type="date"
            label={t('expenses.filters.from')}
            value={from}
            onChange={(event) => setFrom(event.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('expenses.filters.to')}
            value={to}
            onChange={(event) => setTo(event.currentTarget.value)}
          />
        </Group>
      </Group>
      {summary.isError ? (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
          {t('expenses.costCentres.loadError')} {describeError(t, summary.error)}
        </Alert>
      ) : null}
      {summary.isPending ? <Skeleton h={120} radius="md" /> : null}
      {summary.isSuccess && bars.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('expenses.costCentres.empty')}
        </Text>
      ) : null}
      {currencies.map((currency) => (
        <Paper key={currency} withBorder radius="lg" p="md">
          <BarChart currency={currency} bars={bars.filter((bar) => bar.currency === currency)} />
        </Paper>
      ))}
    </Stack>
  );
}

function BarChart({ currency, bars }: { currency: string; bars: CostCentreBar[] }) {
  const { t, i18n } = useTranslation();
  const height = bars.length * (barHeight + rowGap);
  const barSpace = chartWidth - labelWidth - valueWidth;
  return (
    <svg
      role="img"
      aria-label={t('expenses.costCentres.chartLabel', { currency })}
      viewBox={`0 0 ${chartWidth} ${height}`}
      width="100%"
      style={{ maxWidth: chartWidth, display: 'block' }}
      data-testid="cost-centre-chart"
      data-currency={currency}
    >
      {bars.map((bar, index) => {
        const y = index * (barHeight + rowGap);
        const amount = formatMoney(
          { cents: bar.totalCents, currency: bar.currency },
          i18n.language,
        );
        const description = t('expenses.costCentres.bar', {
          costCentre: bar.costCentre,
          amount,
          trips: t('expenses.costCentres.trips', { count: bar.tripCount }),
          receipts: t('expenses.costCentres.receipts', { count: bar.receiptCount }),
        });
        return (
          <g
            key={bar.costCentre}
            data-testid="cost-centre-bar"
            data-cost-centre={bar.costCentre}
            data-total-cents={bar.totalCents}
          >
            <title>{description}</title>
            <text
              x={labelWidth - 8}
              y={y + barHeight / 2}
              textAnchor="end"
              dominantBaseline="middle"
              fontSize={13}
              fill="currentColor"
            >
              {bar.costCentre}
            </text>
            <rect
              x={labelWidth}
              y={y}
              width={Math.max(2, bar.ratio * barSpace)}
              height={barHeight}
              rx={4}
              fill="var(--mantine-primary-color-filled)"
            />
            <text
              x={labelWidth + Math.max(2, bar.ratio * barSpace) + 8}
              y={y + barHeight / 2}
              dominantBaseline="middle"
              fontSize={13}
              fill="currentColor"
            >
              {amount}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
