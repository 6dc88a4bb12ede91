import fs from 'node:fs';
import { DEFAULT_BUSY_TIMEOUT_MS, openBusinessDb, type BusinessDb } from './db/open';
import { Registry } from './db/registry';
import { notFound } from './errors';
import type { Logger, Paths } from './ports';

/** Something that runs while a business is open (the billing timer, later sync). */
export interface BusinessService {
  start(db: BusinessDb): void;
  stop(businessId: string): void;
}

/**
 * Opens each business file once, runs its migrations, starts its services,
 * and closes it all again. There is no global "current database": callers get
 * the handle of the business their session belongs to.
 */
export class Businesses {
  readonly registry: Registry;
  private readonly open = new Map<string, BusinessDb>();
  private readonly services: BusinessService[] = [];

  constructor(
    private readonly paths: Paths,
    private readonly logger: Logger,
    /** How long a statement blocks this thread for another connection's write lock (open.ts). */
    private readonly busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS,
  ) {
    this.registry = new Registry(paths.dataDir, paths.sqliteNativeBinding);
  }

  addService(service: BusinessService): void {
    this.services.push(service);
    for (const db of this.open.values()) service.start(db);
  }

  get(businessId: string): BusinessDb {
    const already = this.open.get(businessId);
    if (already) return already;
    const entry = this.registry.get(businessId);
    if (!entry) throw notFound('That business', 'businessId');
    const db = openBusinessDb(businessId, entry.file, this.openOptions());
    this.open.set(businessId, db);
    for (const service of this.services) {
      try {
        service.start(db);
      } catch (error) {
        this.logger.error('a business service failed to start', { businessId, error: String(error) });
      }
    }
    return db;
  }

  /** A new, empty, migrated file for a business being signed up. Not yet listed. */
  createFile(businessId: string): BusinessDb {
    const file = this.registry.fileFor(businessId);
    if (fs.existsSync(file)) throw new Error(`A business file already exists at ${file}`);
    return openBusinessDb(businessId, file, { ...this.openOptions(), create: true });
  }

  /** Lists a business created by createFile and keeps its handle open. */
  adopt(db: BusinessDb, entry: { name: string; currency: string; timezone: string; createdAt: string }): void {
    this.registry.add({ id: db.businessId, file: db.file, ...entry });
    this.open.set(db.businessId, db);
    for (const service of this.services) service.start(db);
  }

  /** Removes a half-made business file (sign-up failed after the file was created). */
  discardFile(db: BusinessDb): void {
    db.sqlite.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db.file + suffix, { force: true });
  }

  isOpen(businessId: string): boolean {
    return this.open.has(businessId);
  }

  close(businessId: string): void {
    const db = this.open.get(businessId);
    if (!db) return;
    for (const service of this.services) service.stop(businessId);
    db.sqlite.close();
    this.open.delete(businessId);
  }

  closeAll(): void {
    for (const id of [...this.open.keys()]) this.close(id);
    this.registry.close();
  }

  /** How this process opens business files (a file made elsewhere first, as a join does, uses the same). */
  openOptions() {
    // 5 s for the CLI and tests (a batch is short: they wait and succeed); the app and the browser host,
    // whose thread serves the UI, pass a short one and the dispatcher waits without blocking (rpc.ts).
    return { migrationsDir: this.paths.migrationsDir, nativeBinding: this.paths.sqliteNativeBinding, busyTimeoutMs: this.busyTimeoutMs };
  }
}
