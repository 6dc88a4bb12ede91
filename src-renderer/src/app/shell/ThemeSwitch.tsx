import { Center, SegmentedControl, Tooltip, useMantineColorScheme, VisuallyHidden, type MantineColorScheme } from '@mantine/core';
import { IconDeviceDesktop, IconMoon, IconSun, type Icon } from '@tabler/icons-react';

const OPTIONS: { value: MantineColorScheme; label: string; icon: Icon }[] = [
  { value: 'auto', label: 'Match system', icon: IconDeviceDesktop },
  { value: 'light', label: 'Light', icon: IconSun },
  { value: 'dark', label: 'Dark', icon: IconMoon },
];

/** Light, dark or the OS's choice; kept in this PC's preferences by the color scheme manager. */
export function ThemeSwitch() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <SegmentedControl
      size="xs"
      radius="md"
      aria-label="Theme"
      value={colorScheme}
      onChange={(value) => setColorScheme(value as MantineColorScheme)}
      data={OPTIONS.map(({ value, label, icon: OptionIcon }) => ({
        value,
        label: (
          <Tooltip label={`${label} theme`} withArrow openDelay={300}>
            <Center h={18} w={20}>
              <OptionIcon size={16} stroke={1.8} />
              <VisuallyHidden>{label}</VisuallyHidden>
            </Center>
          </Tooltip>
        ),
      }))}
    />
  );
}
