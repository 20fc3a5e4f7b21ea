import { Button, Group, Modal, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

type ConfirmModalProps = {
  opened: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  /** Red for destructive actions. */
  color?: 'red' | 'orange';
  isPending?: boolean;
  onConfirm(): void;
  onClose(): void;
};

export function ConfirmModal(props: ConfirmModalProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title} centered>
      <Text size="sm">{props.message}</Text>
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={props.onClose} disabled={props.isPending}>
          {t('common.cancel')}
        </Button>
        <Button
          color={props.color ?? 'red'}
          onClick={props.onConfirm}
          loading={props.isPending ?? false}
          data-autofocus
        >
          {props.confirmLabel}
        </Button>
      </Group>
    </Modal>
  );
}
