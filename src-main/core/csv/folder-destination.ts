import fs from 'node:fs';
import path from 'node:path';
import type { ExportDestination } from '../ports';

/** Exports written into a folder (tests, and the default when a front names no destination). */
export class FolderExportDestination implements ExportDestination {
  constructor(private readonly dir: string) {}

  async open(suggestedName: string) {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = path.join(this.dir, path.basename(suggestedName));
    return { stream: fs.createWriteStream(file, { mode: 0o600 }), path: file, downloadUrl: null };
  }
}

/** Exports written to one path (the CLI's --out). */
export class PathExportDestination implements ExportDestination {
  constructor(private readonly file: string) {}

  async open() {
    fs.mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });
    return { stream: fs.createWriteStream(this.file), path: path.resolve(this.file), downloadUrl: null };
  }
}
