import fs from 'node:fs';
import { BrowserWindow, dialog, type WebContents } from 'electron';
import type { ExportDestination } from '../core/ports';

/** Exports in the app: the system's save dialog, then a stream to the chosen file. */
export function saveDialogDestination(contents: WebContents): ExportDestination {
  return {
    async open(suggestedName) {
      const win = BrowserWindow.fromWebContents(contents) ?? undefined;
      const options = { defaultPath: suggestedName, filters: [{ name: 'CSV', extensions: ['csv'] }] };
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (result.canceled || !result.filePath) return null;
      return { stream: fs.createWriteStream(result.filePath), path: result.filePath, downloadUrl: null };
    },
  };
}
