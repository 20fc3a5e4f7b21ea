import { Modal, type ModalProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TemporaryPasswordPanel } from './temporary-password-panel';

/** A just-created account whose password the server generated. */
export type GeneratedPassword = { password: string; name: string; email: string };

type AccountCreationModalProps = {
  opened: boolean;
  onClose(): void;
  /** The form's title. */
  title: string;
  size: ModalProps['size'];
  /** Once set, the form gives way to the password, shown this one time. */
  generated: GeneratedPassword | null;
  /** The creation form. */
  children: ReactNode;
};

/** A modal holding a form that creates an account, then shows the password generated for it. */
export function AccountCreationModal({
  opened,
  onClose,
  title,
  size,
  generated,
  children,
}: AccountCreationModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={generated ? t('temporaryPassword.title') : title}
      centered
      size={size}
      closeOnClickOutside={!generated}
    >
      {generated ? (
        <TemporaryPasswordPanel
          password={generated.password}
          name={generated.name}
          email={generated.email}
          onDone={onClose}
        />
      ) : (
        children
      )}
    </Modal>
  );
}
