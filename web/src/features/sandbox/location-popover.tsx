import { ActionIcon, Button, Group, Popover, Stack, TextInput, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconMapPin } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

export type SharedLocation = { latitude: number; longitude: number; name?: string };

/** São Paulo's Praça da Sé: a place to start from. */
const defaultPlace = { latitude: '-23.55052', longitude: '-46.633308', name: 'Praça da Sé' };

function parseCoordinate(value: string, limit: number): number | undefined {
  const number = Number(value.trim().replace(',', '.'));
  return value.trim() !== '' && Number.isFinite(number) && Math.abs(number) <= limit
    ? number
    : undefined;
}

/** The phone's "share location" button: coordinates and an optional place name. */
export function LocationPopover({
  onShare,
  disabled,
}: {
  onShare(location: SharedLocation): void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const [latitude, setLatitude] = useState(defaultPlace.latitude);
  const [longitude, setLongitude] = useState(defaultPlace.longitude);
  const [name, setName] = useState(defaultPlace.name);
  const lat = parseCoordinate(latitude, 90);
  const lng = parseCoordinate(longitude, 180);

  const share = (event: FormEvent) => {
    event.preventDefault();
    if (lat === undefined || lng === undefined) return;
    onShare({ latitude: lat, longitude: lng, ...(name.trim() ? { name: name.trim() } : {}) });
    close();
  };

  return (
    <Popover
      opened={opened}
      onChange={(isOpen) => !isOpen && close()}
      position="top-start"
      withArrow
      trapFocus
    >
      <Popover.Target>
        <Tooltip label={t('sandbox.phone.shareLocation')}>
          <ActionIcon
            variant="subtle"
            color="gray"
            onClick={toggle}
            disabled={disabled}
            aria-label={t('sandbox.phone.shareLocation')}
          >
            <IconMapPin size={20} />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        <form onSubmit={share}>
          <Stack gap="xs" w={240}>
            <Group grow gap="xs">
              <TextInput
                size="xs"
                label={t('sandbox.location.latitude')}
                value={latitude}
                onChange={(event) => setLatitude(event.currentTarget.value)}
                error={lat === undefined}
                inputMode="decimal"
              />
              <TextInput
                size="xs"
                label={t('sandbox.location.longitude')}
                value={longitude}
                onChange={(event) => setLongitude(event.currentTarget.value)}
                error={lng === undefined}
                inputMode="decimal"
              />
            </Group>
            <TextInput
              size="xs"
              label={t('sandbox.location.name')}
              value={name}
              maxLength={1000}
              onChange={(event) => setName(event.currentTarget.value)}
            />
            <Button type="submit" size="xs" disabled={lat === undefined || lng === undefined}>
              {t('sandbox.location.share')}
            </Button>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
