import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { ExportDestination } from '../core/ports';

const CONTENT_TYPES: Record<string, string> = {
  '.csv': 'text/csv; charset=utf-8',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
};

/**
 * Exports in the browser host: the core streams the file to a private temp
 * file, then the page downloads it once from /download/<id> (the browser's
 * own save dialog takes over). Files not fetched within 10 minutes are removed.
 */
export class Downloads {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-downloads-'));
  private readonly files = new Map<string, { file: string; name: string; owner: string; timer: NodeJS.Timeout }>();

  /** Where one connection's exports go: each becomes a download only that connection (`owner`) may fetch. */
  destination(owner: string): ExportDestination {
    return {
      open: async (suggestedName) => {
        const id = randomBytes(16).toString('base64url');
        const file = path.join(this.dir, id);
        const name = path.basename(suggestedName);
        const timer = setTimeout(() => this.remove(id), 10 * 60 * 1000);
        timer.unref();
        this.files.set(id, { file, name, owner, timer });
        return { stream: fs.createWriteStream(file, { mode: 0o600 }), path: null, downloadUrl: `/download/${id}` };
      },
    };
  }

  /**
   * Streams an uploaded file to a private temp file (removed with the host).
   * Past `maxBytes` it stops, removes what it wrote and returns null: the
   * body is counted as it arrives, never held in memory.
   */
  async receive(req: http.IncomingMessage, name: string, maxBytes: number): Promise<{ path: string; name: string } | null> {
    const file = path.join(this.dir, `upload-${randomBytes(12).toString('base64url')}`);
    const out = fs.createWriteStream(file, { mode: 0o600 });
    // By hand rather than pipeline(): past the limit the request must stay open for the 413 answer.
    const outcome = await new Promise<'done' | 'over'>((resolve, reject) => {
      let size = 0;
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          req.off('data', onData); // the rest is read and dropped until the answer closes the connection
          req.resume();
          out.destroy();
          resolve('over');
        } else if (!out.write(chunk)) {
          req.pause();
          out.once('drain', () => req.resume());
        }
      };
      req.on('data', onData);
      req.once('end', () => {
        if (!out.destroyed) out.end();
      });
      req.once('error', reject);
      out.once('finish', () => resolve('done'));
      out.once('error', reject);
    }).catch((error: unknown) => {
      out.destroy();
      fs.rmSync(file, { force: true });
      throw error;
    });
    if (outcome === 'over') {
      fs.rmSync(file, { force: true });
      return null;
    }
    return { path: file, name: path.basename(name) };
  }

  /** Serves a prepared file once, as an attachment, to the connection that made it. */
  serve(id: string, owner: string, res: http.ServerResponse): boolean {
    const entry = this.files.get(id);
    if (!entry || entry.owner !== owner || !fs.existsSync(entry.file)) return false;
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(entry.name)] ?? 'application/octet-stream',
      'content-disposition': `attachment; filename="${entry.name.replace(/"/g, '')}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    // Spent at once, not when the file has been sent: a second request meanwhile must find nothing.
    this.files.delete(id);
    clearTimeout(entry.timer);
    const stream = fs.createReadStream(entry.file);
    stream.pipe(res);
    stream.on('close', () => fs.rmSync(entry.file, { force: true }));
    return true;
  }

  close(): void {
    for (const id of [...this.files.keys()]) this.remove(id);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private remove(id: string): void {
    const entry = this.files.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    fs.rmSync(entry.file, { force: true });
    this.files.delete(id);
  }
}
