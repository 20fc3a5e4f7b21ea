import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Receipt, TripListItem } from './expenses-api';

const tripStatusColors: Record<TripListItem['status'], string> = { active: 'blue', closed: 'gray' };

export function TripStatusBadge({ status }: { status: TripListItem['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={tripStatusColors[status]} data-testid="trip-status">
      {t(`expenses.status.${status}`)}
    </Badge>
  );
}

const receiptStatusColors: Record<Receipt['status'], string> = {
  parsed: 'teal',
  pending: 'yellow',
  'needs-amount': 'red',
  manual: 'gray',
};

export function ReceiptStatusBadge({ status }: { status: Receipt['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={receiptStatusColors[status]} data-testid="receipt-status">
      {t(`expenses.receiptStatus.${status}`)}
    </Badge>
  );
}
