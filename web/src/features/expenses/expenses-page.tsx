import { Anchor, Button, Group, Select, Table, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChartBar, IconFilterOff, IconPlane, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { PagedTable, type PagedTableColumn } from '../../components/paged-table';
import { formatDate } from '../../i18n/format';
import { CostCentrePanel } from './cost-centre-chart';
import { TripStatusBadge } from './expense-labels';
import {
  type Traveller,
  type TripListItem,
  useActiveTripsQuery,
  useTravellersQuery,
  useTripsQuery,
} from './expenses-api';
import { activeTripsByTraveller, formatMoney, type TripFilters } from './expenses-format';

/** Travel expenses: trips (filtered), travellers, and the totals by cost centre. */
export function ExpensesPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('expenses.title')} description={t('expenses.subtitle')} />
      <Tabs defaultValue="trips" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="trips" leftSection={<IconPlane size={16} />}>
            {t('expenses.tabs.trips')}
          </Tabs.Tab>
          <Tabs.Tab value="travellers" leftSection={<IconUsers size={16} />}>
            {t('expenses.tabs.travellers')}
          </Tabs.Tab>
          <Tabs.Tab value="cost-centres" leftSection={<IconChartBar size={16} />}>
            {t('expenses.tabs.costCentres')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="trips">
          <TripsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="travellers">
          <TravellersPanel />
        </Tabs.Panel>
        <Tabs.Panel value="cost-centres">
          <CostCentrePanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

const noFilters: TripFilters = {};

function TripsPanel() {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState<TripFilters>(noFilters);
  // The cost centre is typed: wait for a pause before asking the server.
  const [debouncedFilters] = useDebouncedValue(filters, 300);
  const trips = useTripsQuery(debouncedFilters);
  const travellers = useTravellersQuery();
  const travellerOptions = (travellers.data?.pages.flatMap((page) => page.items) ?? []).map(
    (traveller) => ({ value: traveller.id, label: traveller.name }),
  );
  const update = (changes: TripFilters) => setFilters((current) => ({ ...current, ...changes }));
  const hasFilters = Object.values(filters).some((value) => value);
  const columns: PagedTableColumn[] = [
    { key: 'destination', label: t('expenses.trips.columns.destination') },
    { key: 'traveller', label: t('expenses.trips.columns.traveller') },
    { key: 'costCentre', label: t('expenses.trips.columns.costCentre') },
    { key: 'startedAt', label: t('expenses.trips.columns.startedAt') },
    { key: 'status', label: t('expenses.trips.columns.status') },
    { key: 'receipts', label: t('expenses.trips.columns.receipts'), align: 'right' },
    { key: 'total', label: t('expenses.trips.columns.total'), align: 'right' },
  ];

  return (
    <>
      <Group gap="sm" align="flex-end" mb="md" data-testid="trip-filters">
        <Select
          label={t('expenses.filters.traveller')}
          placeholder={t('expenses.filters.travellerAll')}
          data={travellerOptions}
          value={filters.travellerId ?? null}
          onChange={(value) => update({ travellerId: value ?? undefined })}
          clearable
          searchable
          w={220}
        />
        <Select
          label={t('expenses.filters.status')}
          placeholder={t('expenses.filters.statusAll')}
          data={[
            { value: 'active', label: t('expenses.status.active') },
            { value: 'closed', label: t('expenses.status.closed') },
          ]}
          value={filters.status ?? null}
          onChange={(value) =>
            update({ status: value === 'active' || value === 'closed' ? value : undefined })
          }
          clearable
          w={170}
        />
        <TextInput
          label={t('expenses.filters.costCentre')}
          value={filters.costCentre ?? ''}
          onChange={(event) => update({ costCentre: event.currentTarget.value })}
          w={170}
        />
        <TextInput
          type="date"
          label={t('expenses.filters.from')}
          value={filters.from ?? ''}
          onChange={(event) => update({ from: event.currentTarget.value })}
        />
        <TextInput
          type="date"
          label={t('expenses.filters.to')}
          value={filters.to ?? ''}
          onChange={(event) => update({ to: event.currentTarget.value })}
        />
        {hasFilters ? (
          <Button
            variant="subtle"
            leftSection={<IconFilterOff size={16} />}
            onClick={() => setFilters(noFilters)}
          >
            {t('expenses.filters.clear')}
          </Button>
        ) : null}
      </Group>
      <PagedTable
        query={trips}
        loadErrorMessage={t('expenses.trips.loadError')}
        columns={columns}
        minWidth={900}
        testId="trips-table"
        emptyIcon={<IconPlane size={28} />}
        emptyTitle={t('expenses.trips.empty')}
        renderRow={(trip: TripListItem) => (
          <Table.Tr key={trip.id} data-testid="trip-row">
            <Table.Td>
              <Anchor
                component={Link}
                to={`/expenses/trips/${trip.id}`}
                aria-label={t('expenses.trips.open', { destination: trip.destination })}
                fw={500}
              >
                {trip.destination}
              </Anchor>
            </Table.Td>
            <Table.Td>{trip.traveller.name}</Table.Td>
            <Table.Td>{trip.costCentre}</Table.Td>
            <Table.Td>{formatDate(trip.startedAt, i18n.language)}</Table.Td>
            <Table.Td>
              <TripStatusBadge status={trip.status} />
            </Table.Td>
            <Table.Td ta="right">
              {trip.receiptCount}
              {trip.unconfirmedCount > 0 ? (
                <Text size="xs" c="dimmed">
                  {t('expenses.trips.unconfirmed', { count: trip.unconfirmedCount })}
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td ta="right" data-testid="trip-total">
              {trip.totals.map((total) => (
                <Text key={total.currency} size="sm">
                  {formatMoney(total, i18n.language)}
                </Text>
              ))}
            </Table.Td>
            <Table.Td />
          </Table.Tr>
        )}
      />
    </>
  );
}

function TravellersPanel() {
  const { t } = useTranslation();
  const travellers = useTravellersQuery();
  const activeTrips = useActiveTripsQuery();
  const activeByTraveller = activeTripsByTraveller(activeTrips.data ?? []);
  const columns: PagedTableColumn[] = [
    { key: 'name', label: t('expenses.travellers.columns.name') },
    { key: 'company', label: t('expenses.travellers.columns.company') },
    { key: 'email', label: t('expenses.travellers.columns.email') },
    { key: 'activeTrip', label: t('expenses.travellers.columns.activeTrip') },
  ];
  return (
    <PagedTable
      query={travellers}
      loadErrorMessage={t('expenses.travellers.loadError')}
      columns={columns}
      minWidth={760}
      testId="travellers-table"
      emptyIcon={<IconUsers size={28} />}
      emptyTitle={t('expenses.travellers.empty')}
      renderRow={(traveller: Traveller) => {
        const active = activeByTraveller.get(traveller.id);
        return (
          <Table.Tr key={traveller.id} data-testid="traveller-row">
            <Table.Td fw={500}>{traveller.name}</Table.Td>
            <Table.Td>{traveller.company}</Table.Td>
            <Table.Td>{traveller.email}</Table.Td>
            <Table.Td>
              {active ? (
                <Anchor component={Link} to={`/expenses/trips/${active.id}`}>
                  {active.destination}
                </Anchor>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('expenses.travellers.none')}
                </Text>
              )}
            </Table.Td>
            <Table.Td />
          </Table.Tr>
        );
      }}
    />
  );
}
