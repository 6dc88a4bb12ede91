import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actingAs, createCustomer, JANE, ok } from './customer-fixtures';
import { errorJson, withBusiness } from './run-cli';

// Line 1 is the header; lines 3 and 5 are bad, the others good.
const CSV = [
  'Name,Email,Company,Tags',
  'Ann Lee,ann@example.com,Lee Labs,"vip, yoga"',
  'Bad Email,not-an-email,,',
  'Bob Ray,bob@example.com,,',
  ',noname@example.com,,',
  'Cy Young,cy@example.com,,',
].join('\n');

const TWO_BAD_ROWS = [
  { line: 3, field: 'email', message: 'Enter a valid email address, like name@example.com' },
  { line: 5, field: 'name', message: 'Enter a name' },
];

async function withCsv(text: string | Buffer) {
  const setup = await withBusiness();
  const file = path.join(setup.dataDir, 'customers.csv');
  fs.writeFileSync(file, text);
  return { ...setup, file };
}

const names = async (cli: Parameters<typeof ok>[0], env: NodeJS.ProcessEnv) =>
  (await ok<{ name: string }[]>(cli, ['customer', 'list'], env)).map((c) => c.name);

describe('recurra import customers', () => {
  it('keeps the good rows and reports each bad one by line: {created, skipped, errors}', async () => {
    const { cli, asOwner, file } = await withCsv(CSV);
    const run = await cli(['import', 'customers', '--file', file, '--json'], asOwner);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ created: 3, skipped: 2, errors: TWO_BAD_ROWS, dryRun: false });
    expect(await names(cli, asOwner)).toEqual(['Ann Lee', 'Bob Ray', 'Cy Young']);
    const [ann] = await ok<{ company: string; tags: string[] }[]>(cli, ['customer', 'list', '--search', 'ann'], asOwner);
    expect(ann).toMatchObject({ company: 'Lee Labs', tags: ['vip', 'yoga'] });
  });

  it('prints the counts and each bad row as "line N: field: message" for people', async () => {
    const { cli, asOwner, file } = await withCsv(CSV);
    const run = await cli(['import', 'customers', '--file', file], asOwner);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      [
        'Imported 3 customers, skipped 2 rows.',
        'line 3: email: Enter a valid email address, like name@example.com',
        'line 5: name: Enter a name',
        '',
      ].join('\n'),
    );
  });

  it('writes nothing on a dry run, yet reports what would happen', async () => {
    const { cli, asOwner, file } = await withCsv(CSV);
    const run = await cli(['import', 'customers', '--file', file, '--dry-run', '--json'], asOwner);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ created: 3, skipped: 2, errors: TWO_BAD_ROWS, dryRun: true });
    expect(await names(cli, asOwner)).toEqual([]);
    const human = await cli(['import', 'customers', '--file', file, '--dry-run'], asOwner);
    expect(human.stdout).toMatch(/^Dry run: 3 customers would be imported, 2 rows skipped\. Nothing was written\.\n/);
    expect(await names(cli, asOwner)).toEqual([]);
  });

  it('skips emails already on file or repeated in the file', async () => {
    const { cli, asOwner, file } = await withCsv('name,email\nJane Again,JANE@example.com\nNew One,new@example.com\nNew Two,new@example.com\n');
    await createCustomer(cli, JANE, asOwner);
    const result = await ok(cli, ['import', 'customers', '--file', file], asOwner);
    expect(result).toEqual({
      created: 1,
      skipped: 2,
      dryRun: false,
      errors: [
        { line: 2, field: 'email', message: 'A customer with this email already exists' },
        { line: 4, field: 'email', message: 'This email appears earlier in the file' },
      ],
    });
  });

  it('reads a UTF-8 file with a BOM and keeps accents', async () => {
    const { cli, asOwner, file } = await withCsv('\uFEFFName,Email\nZoë Ångström,zoe@example.com\n');
    expect(await ok(cli, ['import', 'customers', '--file', file], asOwner)).toMatchObject({ created: 1, skipped: 0 });
    expect(await names(cli, asOwner)).toEqual(['Zoë Ångström']);
  });

  it('refuses a missing, empty or non-UTF-8 file naming --file (exit 1), before logging in', async () => {
    const { dataDir, cli, asOwner } = await withBusiness();
    const latin1 = path.join(dataDir, 'latin1.csv');
    fs.writeFileSync(latin1, Buffer.from('Name,Email\nZo\xEB,zoe@example.com\n', 'latin1'));
    const empty = path.join(dataDir, 'empty.csv');
    fs.writeFileSync(empty, '\n\n');
    const missing = path.join(dataDir, 'missing.csv');
    for (const [file, message] of [
      [missing, `Cannot read ${missing}: no such file`],
      [dataDir, `Cannot read ${dataDir}: it is a folder, not a file`],
      [empty, `${empty} is empty`],
      [latin1, `${latin1} is not UTF-8 text; save it as "CSV UTF-8" and try again`],
    ] as const) {
      // A wrong password too: the file is checked first, so this is still about the file.
      const env = { ...asOwner, RECURRA_PASSWORD: 'not the password' };
      const run = await cli(['import', 'customers', '--file', file, '--json'], env);
      expect(run, file).toMatchObject({ code: 1, stdout: '' });
      expect(errorJson(run)).toEqual({ error: { code: 'validation', field: 'file', message } });
      expect((await cli(['import', 'customers', '--file', file], env)).stderr).toBe(`Error: --file: ${message}\n`);
    }
  });

  it('says which column is missing when nothing maps to name or email', async () => {
    const { cli, asOwner, file } = await withCsv('Full name,Phone\nAnn,555\nBob,556\n');
    const result = await ok(cli, ['import', 'customers', '--file', file], asOwner);
    expect(result).toEqual({ created: 0, skipped: 2, dryRun: false, errors: [{ line: 1, field: 'email', message: 'No column is mapped to email' }] });
  });

  it('is a usage error without --file, and refuses a viewer with exit 3 even on a dry run', async () => {
    const { cli, asOwner, file } = await withCsv(CSV);
    const usage = await cli(['import', 'customers', '--json'], asOwner);
    expect(usage.code).toBe(2);
    expect(errorJson(usage)).toEqual({ error: { code: 'usage', message: "required option '--file <file>' not specified" } });
    const viewer = await cli(['import', 'customers', '--file', file, '--dry-run', '--json'], await actingAs(cli, asOwner, 'viewer'));
    expect(viewer).toMatchObject({ code: 3, stdout: '' });
    expect(errorJson(viewer)).toEqual({ error: { code: 'forbidden', message: 'Your role does not allow this' } });
    expect((await cli(['import', 'customers', '--file', file], await actingAs(cli, asOwner, 'staff'))).code).toBe(0);
  });

  it('has help, and refuses an unknown kind to import', async () => {
    const { cli } = await withBusiness();
    expect((await cli(['import', 'customers', '--help'])).stdout).toMatch(/^Usage: recurra import customers/);
    expect((await cli(['import', 'plans', '--file', 'x.csv'])).code).toBe(2);
  });
});
