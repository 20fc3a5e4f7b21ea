import { EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';
import { PageHeader } from './page-header';

type EmptyStatePageProps = {
  icon: ReactNode;
  title: string;
  description: string;
  /** Actions under the description (e.g. a link back home). */
  children?: ReactNode;
};

/** A page with nothing but a message: its title as the header, then an icon and the message. */
export function EmptyStatePage({ icon, title, description, children }: EmptyStatePageProps) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState icon={icon} title={title} description={description} mt="xl">
        {children}
      </EmptyState>
    </>
  );
}
