import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { rendererHandler } from './hardening';
import { rendererDir } from './paths';

/** app://recurra/ serves the built renderer: a real origin, so CSP 'self' means something (no file://). */
export function registerSchemeAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(): void {
  protocol.handle('app', rendererHandler(path.resolve(rendererDir()), (file) => net.fetch(pathToFileURL(file).toString())));
}
