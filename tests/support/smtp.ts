import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { Core } from '../../src-main/core/core';
import { FileSecretStore } from '../../src-main/core/file-secret-store';
import { silentLogger, type Clock } from '../../src-main/core/ports';
import { call, FakeClock, MIGRATIONS_DIR, signUp, tempDir, type TestConnection } from './core';

export type SmtpMode = 'ok' | 'refuse-mail' | 'drop-data' | 'hang';

/**
 * A real SMTP server on 127.0.0.1 (the smtp-server package) for tests: it
 * keeps what arrived, parsed by mailparser. `mode` makes it refuse the
 * sender (554), drop the connection in the middle of DATA, or never answer
 * DATA (a timeout); `refuse` lists recipients it refuses with 550 5.1.1.
 */
export class TestSmtp {
  readonly received: ParsedMail[] = [];
  mode: SmtpMode = 'ok';
  refuse = new Set<string>();
  private server!: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    const options: SMTPServerOptions = {
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === 'shop' && auth.password === 's3cret smtp') callback(null, { user: auth.username });
        else callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      },
      onMailFrom: (_address, _session, callback) => {
        if (this.mode === 'refuse-mail') callback(Object.assign(new Error('5.7.1 Relaying denied for this sender'), { responseCode: 554 }));
        else callback();
      },
      onRcptTo: (address, _session, callback) => {
        if (this.refuse.has(address.address)) callback(Object.assign(new Error(`5.1.1 <${address.address}>: No such user here`), { responseCode: 550 }));
        else callback();
      },
      onData: (stream, _session, callback) => {
        if (this.mode === 'drop-data') {
          stream.once('data', () => {
            for (const c of (this.server as unknown as { connections: Set<{ _socket: { destroy(): void } }> }).connections) c._socket.destroy();
          });
          return;
        }
        if (this.mode === 'hang') {
          stream.resume();
          return; // never answers
        }
        simpleParser(stream)
          .then((mail) => {
            this.received.push(mail);
            callback();
          })
          .catch(callback);
      },
    };
    this.server = new SMTPServer(options);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const c of (this.server as unknown as { connections: Set<{ _socket: { destroy(): void } }> }).connections) c._socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Short SMTP client timeouts, so the refused, dropped and hanging cases end within a test. */
export const TEST_SMTP_TIMEOUTS = { connectionTimeout: 2_000, greetingTimeout: 2_000, socketTimeout: 700 };

/** A Core over `dataDir` whose email goes through the real SMTP client, with the test timeouts. */
export function mailCore(dataDir: string, clock: Clock): Core {
  return new Core({
    paths: { dataDir, migrationsDir: MIGRATIONS_DIR },
    clock,
    logger: silentLogger,
    secrets: new FileSecretStore(dataDir, () => {}),
    email: { timeouts: TEST_SMTP_TIMEOUTS },
  });
}

/** The business's SMTP settings pointing at `smtp` (its user and password). */
export function smtpSettingsFor(smtp: TestSmtp, from: string) {
  return { host: '127.0.0.1', port: smtp.port, user: 'shop', from, secure: false, password: 's3cret smtp' };
}

/** What an email test starts from: a real SMTP server, and a business (UTC) signed up on a fake clock in a data folder of its own. */
export interface MailBed {
  smtp: TestSmtp;
  dataDir: string;
  clock: FakeClock;
  core: Core;
  conn: TestConnection;
  businessId: string;
}

/** Starts a MailBed; the test closes its core and stops the server (`core.close(); await smtp.stop()`). */
export async function startMailBed(opts: { dataDirPrefix: string; at: string; smtpFrom?: string }): Promise<MailBed> {
  const smtp = await new TestSmtp().start();
  const dataDir = tempDir(opts.dataDirPrefix);
  const clock = new FakeClock(new Date(opts.at));
  const core = mailCore(dataDir, clock);
  const { conn, businessId } = (await signUp(core, { timezone: 'UTC' })) as { conn: TestConnection; businessId: string };
  if (opts.smtpFrom) await call(core, conn, 'email.settings.set', smtpSettingsFor(smtp, opts.smtpFrom));
  return { smtp, dataDir, clock, core, conn, businessId };
}
