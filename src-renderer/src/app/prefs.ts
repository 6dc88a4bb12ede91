import type { MantineColorScheme, MantineColorSchemeManager } from '@mantine/core';
import { DEFAULT_PREFS, type Prefs } from '@shared/contract/prefs';
import { invoke } from '../lib/ipc';

// This PC's preferences live in main (electron-store in the app, a JSON file
// in the browser host). They are loaded once before the first render.
let prefs: Prefs = DEFAULT_PREFS;

export async function loadPrefs(): Promise<Prefs> {
  try {
    prefs = await invoke('prefs.get', {});
  } catch {
    prefs = DEFAULT_PREFS;
  }
  return prefs;
}

export function currentPrefs(): Prefs {
  return prefs;
}

export async function savePrefs(changes: Partial<Prefs>): Promise<void> {
  prefs = await invoke('prefs.set', changes);
}

/** Mantine's color scheme kept in the preferences: 'auto' follows the OS. */
export const colorSchemeManager: MantineColorSchemeManager = {
  get: (defaultValue: MantineColorScheme) => prefs.theme ?? defaultValue,
  set: (value: MantineColorScheme) => {
    void savePrefs({ theme: value });
  },
  subscribe: () => {},
  unsubscribe: () => {},
  clear: () => {
    void savePrefs({ theme: 'auto' });
  },
};
