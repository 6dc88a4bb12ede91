import fs from 'node:fs';
import path from 'node:path';
import type { ExportDestination } from '../ports';

/**
 * A stream to a file only its owner can read (0600), whatever the umask and
 * even when the file already existed with a wider mode: exports and backups
 * hold customers, and a backup holds password hashes. The mode is set on the
 * open descriptor before a byte is written.
 */
export function createPrivateWriteStream(file: string): fs.WriteStream {
  const fd = fs.openSync(file, 'w', 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
  return fs.createWriteStream(file, { fd });
}

/** Exports written into a folder (tests, and the default when a front names no destination). */
export class FolderExportDestination implements ExportDestination {
  constructor(private readonly dir: string) {}

  async open(suggestedName: string) {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = path.join(this.dir, path.basename(suggestedName));
    return { stream: createPrivateWriteStream(file), path: file, downloadUrl: null };
  }
}

/** Exports written to one path (the CLI's --out). */
export class PathExportDestination implements ExportDestination {
  constructor(private readonly file: string) {}

  async open() {
    fs.mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });
    return { stream: createPrivateWriteStream(this.file), path: path.resolve(this.file), downloadUrl: null };
  }
}
