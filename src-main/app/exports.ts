import { BrowserWindow, dialog, type WebContents } from 'electron';
import { createPrivateWriteStream } from '../core/csv/folder-destination';
import type { ExportDestination, ImportSource } from '../core/ports';

/** Exports in the app: the system's save dialog, then a stream to the chosen file. */
export function saveDialogDestination(contents: WebContents): ExportDestination {
  return {
    async open(suggestedName) {
      const win = BrowserWindow.fromWebContents(contents) ?? undefined;
      const extension = suggestedName.split('.').pop() ?? '';
      const kind = extension === 'pdf' ? 'PDF document' : extension === 'csv' ? 'CSV spreadsheet' : 'File';
      const options = { defaultPath: suggestedName, filters: [{ name: kind, extensions: [extension] }] };
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (result.canceled || !result.filePath) return null;
      // Owner-only (0600): an export holds customers, a backup password hashes.
      return { stream: createPrivateWriteStream(result.filePath), path: result.filePath, downloadUrl: null };
    },
  };
}

/** Files the user picks in the app (a backup to restore): the system's open dialog. */
export function openDialogSource(contents: WebContents): ImportSource {
  return {
    async open() {
      const win = BrowserWindow.fromWebContents(contents) ?? undefined;
      const options = { properties: ['openFile' as const], filters: [{ name: 'Recurra backup', extensions: ['recurra', 'sqlite'] }] };
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      const file = result.filePaths[0];
      return result.canceled || !file ? null : { path: file, name: file.split(/[\\/]/).pop() ?? file };
    },
  };
}
