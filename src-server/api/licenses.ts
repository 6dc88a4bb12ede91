import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { dateInTimeZone, startOfDayInstant } from '@shared/domain/dates';
import { SUBSCRIPTION_STATUSES } from '@shared/domain/kinds';
import { licenseKeySchema } from '@shared/domain/license';
import type { ServerDb } from '../db/open';
import { ApiError, forbidden, notFound } from '../errors';
import { activeMachines, findLicense, LICENSE_CODES, licenseView, machinesNow, todayOf, verdict, type License, type LicenseCode, type MachineRow } from '../licenses/lookup';
import { publicKeyOf, signingKeyOf, signLicenseFile } from '../licenses/signing';
import { verdictCacheOf } from '../licenses/verdict-cache';
import { noteValidation } from '../licenses/write-back';
import { scheduleProjection } from '../projection/catch-up';
import { appendServerChanges, type ServerChange } from '../projection/writer';
import { defineRoute } from './define';
import { uuidv7 } from './ids';
import { rowsOf } from './rows';

// The license endpoints (spec/server.md "License keys"; docs/licenses.md):
// called by the software a business sells, with no API key: the license key
// is the credential. Rate limited per client address and per license key
// (licenses/rate.ts, through the route's rateKey). Reads come from the
// projection (licenses/lookup.ts); machines are written as server-made changes
// to the synced table license_machines, which the PCs pull.

/** Advisory lock class of a license's activations (the key's second half is the subscription's hash). */
const ACTIVATION_LOCK = 727_003;

const keyField = licenseKeySchema.describe('The license key, as the subscription carries it.');
const fingerprintField = z.string().min(1).max(200).describe('What the product sends to tell its machines apart (a hash it makes of the machine).');
const businessField = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .describe('The business id (as in GET /v1/licenses/public-key). Optional; when given, only that business\'s licenses match, so a key two businesses both chose is never ambiguous.');

const licenseSchema = z.object({
  key: z.string(),
  status: z.enum(SUBSCRIPTION_STATUSES).describe("The subscription's status."),
  expiresOn: z.string().nullable().describe("YYYY-MM-DD: valid while today, in the business's time zone, is before it (follows the subscription: paid period, trial end, dunning days, cancellation)."),
  entitlements: z.array(z.string()).describe("The plan's features."),
  machines: z.number().int().describe('Machines activated now.'),
  maxMachines: z.number().int().nullable().describe("The plan's limit; null: unlimited."),
});

const validationSchema = z.object({
  valid: z.boolean(),
  code: z.enum(LICENSE_CODES),
  license: licenseSchema.nullable().describe('null when the code is NOT_FOUND.'),
});

const machineSchema = z.object({
  fingerprint: z.string(),
  name: z.string().nullable(),
  activatedAt: z.string(),
  deactivatedAt: z.string().nullable(),
  lastSeenOn: z.string().nullable(),
});

const toMachine = (m: MachineRow) => ({ fingerprint: m.fingerprint, name: m.name, activatedAt: m.activated_at, deactivatedAt: m.deactivated_at, lastSeenOn: m.last_seen_on });

/** A refused action, as an error naming the verdict (the product shows the message). */
function refusal(code: LicenseCode): ApiError {
  switch (code) {
    case 'NOT_FOUND':
      return notFound('license_not_found', 'No such license key.');
    case 'SUSPENDED':
      return forbidden('business_suspended', 'The business that issued this license is suspended on this server.');
    case 'EXPIRED':
      return forbidden('license_expired', 'This license has expired.');
    case 'FINGERPRINT_NOT_ACTIVATED':
      return new ApiError(403, 'permission', 'fingerprint_not_activated', 'This machine is not activated for this license; activate it first.', 'fingerprint');
    case 'TOO_MANY_MACHINES':
      return new ApiError(409, 'conflict', 'too_many_machines', "This license is activated on as many machines as its plan allows; deactivate one first.", 'fingerprint');
    case 'VALID':
      throw new Error('not a refusal');
  }
}

const keyed = <T extends { key: string }>(body: T) => body.key;

/** Activations and deactivations of one license take turns: the lock, then the machines as of the log. */
async function lockedMachines(tx: ServerDb, license: License): Promise<MachineRow[]> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ACTIVATION_LOCK}, hashtext(${`${license.businessId} ${license.subscriptionId}`}))`);
  return machinesNow(tx, license.businessId, license.subscriptionId);
}

export const licenseRoutes = [
  defineRoute({
    method: 'POST',
    path: '/licenses/validate',
    operationId: 'validateLicense',
    summary: 'Validate a license key',
    description:
      'No API key: the license key is the credential. Always 200 with a verdict: `code` is VALID, EXPIRED, SUSPENDED (the business is suspended on this server), NOT_FOUND (`license` is null), FINGERPRINT_NOT_ACTIVATED (a `fingerprint` was given and is not an active machine) or TOO_MANY_MACHINES (more machines active than the plan now allows). Rate limited per client address and per key (429 with Retry-After). An unknown key takes as long to answer as a known one.',
    tag: 'Licenses',
    scope: 'public',
    transaction: false,
    body: z.object({ key: keyField, fingerprint: fingerprintField.optional(), business: businessField }).strict(),
    rateKey: keyed,
    response: validationSchema,
    async handler(ctx, { body, now, countUsage }) {
      // Through the verdict cache (licenses/verdict-cache.ts): the rows read a moment ago, after one shared check that nothing they depend on moved.
      const license = await verdictCacheOf(ctx.db).find(body.key, body.business);
      if (license) countUsage(license.businessId);
      // Today is worked out for an unknown key too (in UTC): the same steps whatever the key.
      const today = dateInTimeZone(now, license?.timeZone ?? 'UTC');
      const code = verdict(license, body.fingerprint, today);
      if (license && !license.suspended) {
        const machine = body.fingerprint === undefined ? undefined : activeMachines(license).find((m) => m.fingerprint === body.fingerprint);
        noteValidation(ctx, license, machine, today, now);
      }
      return { valid: code === 'VALID', code, license: license ? licenseView(license) : null };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/licenses/activate',
    operationId: 'activateLicense',
    summary: 'Activate a machine',
    description:
      "Adds the machine (`fingerprint`) to the license, up to the plan's `maxMachines` (none: unlimited). Activating an active machine again changes nothing (but its name); a deactivated one gets its row back. The machines reach the business's PCs with their next sync.",
    tag: 'Licenses',
    scope: 'public',
    transaction: false,
    body: z.object({ key: keyField, fingerprint: fingerprintField, name: z.string().trim().min(1).max(120).optional().describe('A name for the machine ("Reception PC").'), business: businessField }).strict(),
    rateKey: keyed,
    errors: {
      '403': 'The license expired, or its business is suspended.',
      '404': 'No such license key.',
      '409': "The license is on as many machines as its plan allows (code too_many_machines).",
    },
    response: z.object({ machine: machineSchema, license: licenseSchema }),
    async handler(ctx, { body, now, countUsage }) {
      const license = await findLicense(ctx.db, body.key, body.business);
      if (license) countUsage(license.businessId);
      const code = verdict(license, undefined, license ? todayOf(license, now) : '');
      if (!license || (code !== 'VALID' && code !== 'TOO_MANY_MACHINES')) throw refusal(code);
      const at = now.toISOString();
      const machine = await ctx.db.transaction(async (tx) => {
        const machines = await lockedMachines(tx as unknown as ServerDb, license);
        const active = machines.filter((m) => m.deactivated_at === null);
        const existing = machines.find((m) => m.fingerprint === body.fingerprint);
        const name = body.name ?? existing?.name ?? null;
        let change: ServerChange | null = null;
        let after: MachineRow;
        if (existing && existing.deactivated_at === null) {
          after = { ...existing, name };
          if (name !== existing.name) change = { table: 'license_machines', rowId: existing.id, op: 'upsert', fields: { name, '@base': { name: existing.name } } };
        } else {
          if (license.maxMachines !== null && active.length >= license.maxMachines) throw refusal('TOO_MANY_MACHINES');
          if (existing) {
            // Re-activated: the same row (subscription_id, fingerprint is unique), its dates reset.
            after = { ...existing, name, activated_at: at, deactivated_at: null };
            change = {
              table: 'license_machines',
              rowId: existing.id,
              op: 'upsert',
              fields: { name, activated_at: at, deactivated_at: null, '@base': { name: existing.name, activated_at: existing.activated_at, deactivated_at: existing.deactivated_at } },
            };
          } else {
            after = { id: uuidv7(now.getTime()), subscription_id: license.subscriptionId, fingerprint: body.fingerprint, name, activated_at: at, deactivated_at: null, last_seen_on: null };
            change = { table: 'license_machines', rowId: after.id, op: 'upsert', fields: { ...after } };
          }
        }
        if (change) await appendServerChanges(tx as unknown as ServerDb, license.businessId, [change], now);
        license.machines = [...machines.filter((m) => m.id !== after.id), after];
        return { after, changed: change !== null };
      });
      if (machine.changed) scheduleProjection(ctx.db, license.businessId);
      return { machine: toMachine(machine.after), license: licenseView(license) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/licenses/deactivate',
    operationId: 'deactivateLicense',
    summary: 'Deactivate a machine',
    description: 'Frees the machine\'s place on the license; its row stays (with `deactivatedAt`), and activating the same fingerprint again brings it back.',
    tag: 'Licenses',
    scope: 'public',
    transaction: false,
    body: z.object({ key: keyField, fingerprint: fingerprintField, business: businessField }).strict(),
    rateKey: keyed,
    errors: {
      '403': "The license's business is suspended.",
      '404': 'No such license key (license_not_found), or the machine is not active on it (machine_not_found).',
    },
    response: z.object({ machine: machineSchema, license: licenseSchema }),
    async handler(ctx, { body, now, countUsage }) {
      const license = await findLicense(ctx.db, body.key, body.business);
      if (license) countUsage(license.businessId);
      if (!license) throw refusal('NOT_FOUND');
      if (license.suspended) throw refusal('SUSPENDED');
      const at = now.toISOString();
      const after = await ctx.db.transaction(async (tx) => {
        const machines = await lockedMachines(tx as unknown as ServerDb, license);
        const existing = machines.find((m) => m.fingerprint === body.fingerprint && m.deactivated_at === null);
        if (!existing) throw new ApiError(404, 'not_found', 'machine_not_found', 'This machine is not active on this license.', 'fingerprint');
        await appendServerChanges(
          tx as unknown as ServerDb,
          license.businessId,
          [{ table: 'license_machines', rowId: existing.id, op: 'upsert', fields: { deactivated_at: at, '@base': { deactivated_at: null } } }],
          now,
        );
        const row = { ...existing, deactivated_at: at };
        license.machines = machines.map((m) => (m.id === row.id ? row : m));
        return row;
      });
      scheduleProjection(ctx.db, license.businessId);
      return { machine: toMachine(after), license: licenseView(license) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/licenses/checkout',
    operationId: 'checkoutLicense',
    summary: 'Check out a signed license file',
    description:
      "For an activated machine of a valid license: a license file signed with the business's Ed25519 key (GET /v1/licenses/public-key), which the product checks offline and trusts until its `expiresAt`. The file is `{payload, signature}`: `payload` is base64url of the JSON, `signature` the Ed25519 signature of the payload text's bytes (docs/licenses.md has the ten lines that check it).",
    tag: 'Licenses',
    scope: 'public',
    transaction: false,
    body: z.object({ key: keyField, fingerprint: fingerprintField, business: businessField }).strict(),
    rateKey: keyed,
    errors: {
      '403': 'The license expired (license_expired), the business is suspended (business_suspended), or the machine is not activated (fingerprint_not_activated).',
      '404': 'No such license key.',
      '409': 'More machines are active than the plan now allows (too_many_machines).',
    },
    response: z.object({
      file: z.object({ payload: z.string(), signature: z.string() }),
      license: licenseSchema,
      expiresAt: z.string().describe("The instant the file stops working: the start of expiresOn in the business's time zone."),
    }),
    async handler(ctx, { body, now, countUsage }) {
      const license = await findLicense(ctx.db, body.key, body.business);
      if (license) countUsage(license.businessId);
      const today = license ? todayOf(license, now) : '';
      const code = verdict(license, body.fingerprint, today);
      if (!license || code !== 'VALID') throw refusal(code);
      const machine = activeMachines(license).find((m) => m.fingerprint === body.fingerprint);
      noteValidation(ctx, license, machine, today, now);
      const key = await signingKeyOf(ctx.db, ctx.serverKey, license.businessId, now);
      const expiresAt = startOfDayInstant(license.expiresOn!, license.timeZone).toISOString();
      const file = signLicenseFile(key, {
        format: 'recurra-license/1',
        business: license.businessId,
        key: license.key,
        fingerprint: body.fingerprint,
        status: license.status,
        entitlements: license.entitlements,
        maxMachines: license.maxMachines,
        issuedAt: now.toISOString(),
        expiresOn: license.expiresOn!,
        expiresAt,
      });
      return { file, license: licenseView(license), expiresAt };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/licenses/public-key',
    operationId: 'licensePublicKey',
    summary: "A business's public key for license files",
    description: 'The Ed25519 public key that checks the license files of one business (also shown in the app). No API key.',
    tag: 'Licenses',
    scope: 'public',
    query: z.object({ business: z.string().min(1).max(200).describe('The business id.') }).strict(),
    errors: { '403': 'The business is suspended on this server.', '404': 'No such business on this server.' },
    response: z.object({
      business: z.string(),
      algorithm: z.literal('Ed25519'),
      publicKey: z.string().describe('Base64 of the raw 32-byte key.'),
      publicKeyPem: z.string().describe('The same key as an SPKI PEM.'),
    }),
    async handler(ctx, { query, now }) {
      const [business] = rowsOf<{ suspended: boolean }>(await ctx.db.execute(sql`select suspended_at is not null as suspended from businesses where id = ${query.business}`));
      if (!business) throw new ApiError(404, 'not_found', 'business_not_found', 'No such business on this server.', 'business');
      if (business.suspended) throw refusal('SUSPENDED');
      const key = await publicKeyOf(ctx.db, ctx.serverKey, query.business, now);
      return { business: query.business, algorithm: 'Ed25519' as const, publicKey: key.publicKey, publicKeyPem: key.publicKeyPem };
    },
  }),
];
