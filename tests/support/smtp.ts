import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

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
