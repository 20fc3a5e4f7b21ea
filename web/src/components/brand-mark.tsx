import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconMessageCircleBolt } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** The Recado logo: an icon and the product name. */
export function BrandMark({ size = 'md' }: { size?: 'md' | 'lg' }) {
  const { t } = useTranslation();
  const isLarge = size === 'lg';
  return (
    <Group gap={isLarge ? 'sm' : 8} wrap="nowrap">
      <ThemeIcon
        size={isLarge ? 42 : 32}
        radius="md"
        variant="gradient"
        gradient={{ from: 'teal.6', to: 'cyan.7', deg: 135 }}
      >
        <IconMessageCircleBolt size={isLarge ? 24 : 19} stroke={1.8} />
      </ThemeIcon>
      <Text fw={750} fz={isLarge ? 26 : 19} lts={-0.3}>
        {t('app.name')}
      </Text>
    </Group>
  );
}
