import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { EventName, EventPayload } from '@shared/contract';
import type { Core } from '../core/core';
import type { ExportDestination, ImportSource } from '../core/ports';
import type { Connection } from '../core/rpc';
import { openDialogSource, saveDialogDestination } from './exports';
import { isTrustedSender } from './hardening';
import { DEV_RENDERER_URL } from './security';

/** One connection per window: the session is bound to the webContents, never to the payload. */
class WindowConnection implements Connection {
  sessionId: string | null = null;
  readonly id: string;
  readonly exports: ExportDestination;
  readonly imports: ImportSource;
  constructor(private readonly contents: WebContents) {
    this.id = `window-${contents.id}`;
    this.exports = saveDialogDestination(contents);
    this.imports = openDialogSource(contents);
  }
  send<E extends EventName>(event: E, payload: EventPayload<E>) {
    if (!this.contents.isDestroyed()) this.contents.send('rpc:event', event, payload);
  }
}

/** The two channels: 'rpc' (request/response) and 'rpc:event' (main → renderer). */
export function registerIpc(core: Core): void {
  const connections = new Map<number, WindowConnection>();

  ipcMain.handle('rpc', async (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    // Only our own top-level page may call (validatedIpcMain in VS Code does the same).
    if (!isTrustedSender(event, DEV_RENDERER_URL)) {
      return { ok: false, error: { code: 'forbidden', message: 'Calls are only accepted from the Recurra window' } };
    }
    let conn = connections.get(event.sender.id);
    if (!conn) {
      const created = new WindowConnection(event.sender);
      connections.set(event.sender.id, created);
      event.sender.once('destroyed', () => {
        core.disconnect(created);
        connections.delete(event.sender.id);
      });
      conn = created;
    }
    return core.dispatch(conn, method, input);
  });
}
