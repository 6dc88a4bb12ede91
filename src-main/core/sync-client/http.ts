import type { z } from 'zod';
import {
  billingTakeResponse,
  codeResponse,
  disconnectResponse,
  enrolledResponse,
  pullResponse,
  pushResponse,
  statusResponse,
  syncErrorResponse,
  SYNC_BASE_PATH,
  type SyncChange,
} from '@shared/sync/server-wire';
import { AppError } from '../errors';

// The PC's side of the sync protocol (docs/sync-protocol.md): one HTTP call
// per method, Node's fetch, every answer parsed with the server-wire schemas
// the server itself is typed by. A refusal becomes an AppError whose message
// says what happened and names the server's code; the CLI maps it to its exit
// code (403 and 401: 3; anything else refused: 1).

/** How long one call may take before it counts as "server not reachable" (a push of 4 MB included). */
export const SYNC_CALL_TIMEOUT_MS = 60_000;

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** A refusal or failure of the sync server: the AppError the caller sees, plus what the server said. */
export class SyncRemoteError extends AppError {
  constructor(
    code: AppError['code'],
    message: string,
    /** The server's own code (`device_revoked`, `invite_used`...), or `unreachable` / `bad_answer`. */
    readonly serverCode: string,
    readonly status: number | null,
    field?: string,
  ) {
    super(code, message, field);
    this.name = 'SyncRemoteError';
  }

  /** The server could not be reached or answered with something that is not the protocol: safe to retry later. */
  get offline(): boolean {
    return this.serverCode === 'unreachable' || this.status === null || this.status >= 500;
  }
}

/** "https://sync.example.com/" -> "https://sync.example.com"; anything but an http(s) URL is refused naming the field. */
export function normalizeServerUrl(text: string, field = 'server'): string {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new AppError('validation', `Give the sync server's address, like https://sync.example.com (got "${trimmed.slice(0, 100)}")`, field);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('validation', 'The sync server address starts with https:// (or http:// on a local network)', field);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new AppError('validation', 'The sync server address is just its origin and path, without ?query, #fragment or credentials', field);
  }
  return url.toString().replace(/\/+$/, '');
}

/** Which request field a server `param` is, on the PC's side (connect's inviteCode is the CLI's --invite). */
const PARAM_FIELDS: Record<string, string> = { inviteCode: 'inviteCode', code: 'code', deviceName: 'deviceName', businessName: 'businessName' };

export class SyncHttpClient {
  constructor(
    readonly server: string,
    private readonly token: string | null = null,
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
  ) {}

  connect(body: { inviteCode: string; businessId: string; businessName: string; deviceName: string }) {
    return this.call('POST', '/connect', enrolledResponse, body);
  }

  join(body: { code: string; deviceName: string }) {
    return this.call('POST', '/join', enrolledResponse, body);
  }

  pair() {
    return this.call('POST', '/pair', codeResponse);
  }

  push(changes: SyncChange[]) {
    return this.call('POST', '/push', pushResponse, { changes });
  }

  /** A push whose body, `{"changes":[...]}`, is already JSON text (the log's batches: readPushBatch). */
  pushBody(json: string) {
    return this.call('POST', '/push', pushResponse, new RawJson(json));
  }

  pull(after: number, limit?: number, own = false) {
    return this.call('GET', `/pull?after=${after}${limit === undefined ? '' : `&limit=${limit}`}${own ? '&own=1' : ''}`, pullResponse);
  }

  /** With own, the answer carries `ownNewest`: the newest change this device pushed. */
  status(own = false) {
    return this.call('GET', own ? '/status?own=1' : '/status', statusResponse);
  }

  takeBillingDevice() {
    return this.call('POST', '/billing-device/take', billingTakeResponse);
  }

  disconnect() {
    return this.call('POST', '/disconnect', disconnectResponse);
  }

  /** One request; the answer parsed by its schema, or a SyncRemoteError saying what went wrong. */
  private async call<S extends z.ZodType>(method: 'GET' | 'POST', route: string, schema: S, body?: unknown): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    // A POST always carries a JSON body: fastify refuses an empty one declared as JSON.
    const payload = method === 'POST' ? (body instanceof RawJson ? body.text : JSON.stringify(body ?? {})) : undefined;
    if (payload !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(`${this.server}${SYNC_BASE_PATH}${route}`, {
        method,
        headers,
        body: payload,
        signal: AbortSignal.timeout(SYNC_CALL_TIMEOUT_MS),
      });
      text = await response.text();
    } catch (error) {
      throw new SyncRemoteError(
        'conflict',
        `Cannot reach the sync server at ${this.server} (${networkReason(error)}). Nothing was changed; Recurra keeps working offline and syncs when the server answers.`,
        'unreachable',
        null,
      );
    }
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = undefined;
    }
    if (response.ok) {
      const parsed = schema.safeParse(json);
      if (parsed.success) return parsed.data;
      throw new SyncRemoteError('internal', `The server at ${this.server} did not answer like a Recurra sync server (HTTP ${response.status} on ${route.split('?')[0]})`, 'bad_answer', response.status);
    }
    const failure = syncErrorResponse.safeParse(json);
    if (!failure.success) {
      throw new SyncRemoteError(
        response.status >= 500 ? 'conflict' : 'internal',
        `The server at ${this.server} answered HTTP ${response.status} without a Recurra error${response.status === 404 ? ': is this the address of a Recurra sync server?' : ''}`,
        'bad_answer',
        response.status,
      );
    }
    throw remoteError(this.server, response.status, failure.data.error);
  }
}

/** A request body already serialized. */
class RawJson {
  constructor(readonly text: string) {}
}

function networkReason(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (e?.name === 'TimeoutError') return `no answer in ${SYNC_CALL_TIMEOUT_MS / 1000} s`;
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
}

/** The server's error as the PC reports it: its sentence, its code in brackets, mapped to the core's error codes. */
function remoteError(server: string, status: number, error: { type: string; code: string; message: string; param?: string | undefined }): SyncRemoteError {
  const field = error.param ? (PARAM_FIELDS[error.param] ?? error.param) : undefined;
  const say = (prefix: string) => `${prefix}${error.message} (${error.code})`;
  switch (error.code) {
    case 'device_revoked':
      return new SyncRemoteError('forbidden', say('The sync server no longer accepts this PC: '), error.code, status);
    case 'business_suspended':
      return new SyncRemoteError('forbidden', say('The sync server has suspended this business: '), error.code, status);
    case 'unauthenticated':
      return new SyncRemoteError('unauthenticated', say(`The sync server at ${server} does not know this PC's token: `), error.code, status);
    case 'too_many_attempts':
      return new SyncRemoteError('conflict', say('Too many wrong codes: '), error.code, status);
    default:
      break;
  }
  if (status === 400 || status === 413) return new SyncRemoteError('validation', say(''), error.code, status, field);
  if (status === 409) return new SyncRemoteError('conflict', say(''), error.code, status, field);
  if (status === 401) return new SyncRemoteError('unauthenticated', say(''), error.code, status);
  if (status === 403) return new SyncRemoteError('forbidden', say(''), error.code, status);
  if (status === 404) return new SyncRemoteError('conflict', say(`The server at ${server} has no such sync route: is it a Recurra sync server of this version? `), error.code, status);
  return new SyncRemoteError('conflict', say(`The sync server failed (HTTP ${status}); nothing was applied, try again: `), error.code, status);
}
