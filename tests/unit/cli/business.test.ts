import { describe, expect, it } from 'vitest';
import { cliWithDataDir, errorJson, OWNER, withBusiness } from './run-cli';

const CREATE_ARGS = [
  'business', 'create',
  '--name', 'Sunrise Yoga',
  '--currency', 'USD',
  '--timezone', 'America/New_York',
  '--owner-name', 'Olivia Owner',
  '--owner-email', OWNER.email,
];

describe('recurra business create', () => {
  it('creates a business and its owner, printing exactly the spec shape with --json', async () => {
    const { cli } = cliWithDataDir();
    const run = await cli([...CREATE_ARGS, '--json'], { RECURRA_PASSWORD: OWNER.password });
    // The business's data key goes to the 0600 file store here, not a keychain: one line says so (issue 16).
    expect(run).toMatchObject({ code: 0, stderr: expect.stringMatching(/^Warning: No system keychain here: the secret is kept in .*secrets\.json \(mode 0600.*\n$/) });
    const out = JSON.parse(run.stdout);
    expect(out).toEqual({
      business: { id: expect.any(String), name: 'Sunrise Yoga', currency: 'USD', timezone: 'America/New_York' },
      owner: { id: expect.any(String), email: OWNER.email, role: 'owner' },
    });
    expect(run.stdout.endsWith('}\n')).toBe(true);
  });

  it('tells a person what was created and how to act as the owner', async () => {
    const { cli } = cliWithDataDir();
    const run = await cli(CREATE_ARGS, { RECURRA_PASSWORD: OWNER.password });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Created Sunrise Yoga\.\n/);
    expect(run.stdout).toMatch(/Owner: +Olivia Owner <olivia@example.com>/);
    expect(run.stdout).toMatch(/--business \S+ --user olivia@example.com/);
    expect(run.stdout).toMatch(/\nRecovery key: ([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z]{4}\n/);
    // Both uses of the key: a forgotten password, and the books on a PC that lost their key.
    expect(run.stdout).toContain('It sets a new owner password if that is forgotten, and it unlocks\nthe books if this PC loses their key');
    expect(run.stdout).toContain('env RECURRA_RECOVERY_KEY');
  });

  it('refuses a bad email naming the field, writes nothing to stdout, and leaves no business behind', async () => {
    const { cli } = cliWithDataDir();
    const args = CREATE_ARGS.map((a) => (a === OWNER.email ? 'not-an-email' : a));
    const run = await cli([...args, '--json'], { RECURRA_PASSWORD: OWNER.password });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(errorJson(run)).toEqual({
      error: { code: 'validation', field: 'ownerEmail', message: 'Enter a valid email address, like name@example.com' },
    });
    const human = await cli(args, { RECURRA_PASSWORD: OWNER.password });
    expect(human.stderr).toBe('Error: --owner-email: Enter a valid email address, like name@example.com\n');
    expect((await cli(['business', 'list', '--json'])).stdout).toBe('[]\n');
  });

  it('names the env variable when the password is too short', async () => {
    const { cli } = cliWithDataDir();
    const run = await cli(CREATE_ARGS, { RECURRA_PASSWORD: 'short' });
    expect(run).toMatchObject({ code: 1, stdout: '', stderr: 'Error: RECURRA_PASSWORD: Use at least 8 characters\n' });
  });

  it('is a usage error (2) without RECURRA_PASSWORD, and has no --password flag at all', async () => {
    const { cli } = cliWithDataDir();
    const missing = await cli([...CREATE_ARGS, '--json']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(errorJson(missing)).toEqual({ error: { code: 'usage', message: expect.stringContaining('RECURRA_PASSWORD') } });
    const flag = await cli([...CREATE_ARGS, '--password', OWNER.password]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown option '--password'");
  });

  it('refuses an unknown currency as a validation error', async () => {
    const { cli } = cliWithDataDir();
    const args = CREATE_ARGS.map((a) => (a === 'USD' ? 'XYZ' : a));
    const run = await cli([...args, '--json'], { RECURRA_PASSWORD: OWNER.password });
    expect(run.code).toBe(1);
    expect(errorJson(run)).toMatchObject({ error: { code: 'validation', field: 'currency' } });
  });
});

describe('recurra business list', () => {
  it('lists businesses without logging in: [{id,name,currency,syncServer}] with --json, a table otherwise', async () => {
    const { cli, businessId } = await withBusiness();
    const json = await cli(['business', 'list', '--json']);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(json.stdout)).toEqual([{ id: businessId, name: 'Sunrise Yoga', currency: 'USD', syncServer: null }]);

    const human = await cli(['business', 'list']);
    const [header, row, ...rest] = human.stdout.trimEnd().split('\n');
    expect(rest).toEqual([]);
    expect(header).toMatch(/^ID +NAME +CURRENCY +TIME ZONE +SYNC$/);
    expect(row).toMatch(new RegExp(`^${businessId} +Sunrise Yoga +USD +America/New_York +-$`));
    expect(header?.indexOf('NAME')).toBe(row?.indexOf('Sunrise Yoga'));
  });

  it('takes --data-dir after the subcommand too, and says so when the folder is empty', async () => {
    const { dataDir, cli } = cliWithDataDir();
    const run = await cli(['business', 'list', '--data-dir', dataDir], { RECURRA_DATA_DIR: undefined });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`No businesses in ${dataDir}`);
    expect((await cli(['--json', 'business', 'list'])).stdout).toBe('[]\n');
  });
});

describe('recurra business update', () => {
  it('updates the settings as the owner and prints the full business', async () => {
    const { cli, businessId, asOwner } = await withBusiness();
    const run = await cli(
      ['business', 'update', '--json', '--name', 'Sunrise Yoga Studio', '--tax-rate', '8.25', '--net-terms', '15',
        '--invoice-prefix', 'sy', '--dunning-days', '3, 5,7'],
      asOwner,
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({
      business: {
        id: businessId,
        name: 'Sunrise Yoga Studio',
        currency: 'USD',
        timezone: 'America/New_York',
        locale: 'en-US',
        taxRate: '8.25',
        invoicePrefix: 'SY',
        netTermsDays: 15,
        dunningDays: [3, 5, 7],
        billingIntervalMinutes: expect.any(Number),
        createdAt: expect.any(String),
        // The details printed on invoices and receipts (Settings > Business), not set here.
        addressLine1: '',
        addressLine2: '',
        city: '',
        region: '',
        postalCode: '',
        country: '',
        email: '',
        phone: '',
        taxId: '',
        invoiceFooter: '',
        logo: null,
      },
    });
    // The registry follows, so the list shows the new name.
    expect(JSON.parse((await cli(['business', 'list', '--json'])).stdout)).toEqual([
      { id: businessId, name: 'Sunrise Yoga Studio', currency: 'USD', syncServer: null },
    ]);
  });

  it('prints the settings for people', async () => {
    const { cli, asOwner } = await withBusiness();
    const run = await cli(['business', 'update', '--tax-rate', '7', '--net-terms', '1'], asOwner);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Updated Sunrise Yoga\.\n/);
    expect(run.stdout).toMatch(/Tax rate: +7%\n/);
    expect(run.stdout).toMatch(/Net terms: +1 day\n/);
  });

  it.each([
    ['--net-terms', '30x', 'netTermsDays', 'Enter a whole number of days, like 30'],
    ['--net-terms', '2.5', 'netTermsDays', 'Enter a whole number of days, like 30'],
    ['--net-terms', '', 'netTermsDays', 'Enter a whole number of days, like 30'],
    ['--net-terms', '400', 'netTermsDays', 'Net terms are at most 365 days'],
    ['--net-terms', '-5', 'netTermsDays', 'Net terms cannot be negative'],
    ['--dunning-days', '3,,5', 'dunningDays', 'Give whole days separated by commas, like 3,5,7'],
    ['--dunning-days', 'soon', 'dunningDays', 'Give whole days separated by commas, like 3,5,7'],
    ['--dunning-days', '7,5', 'dunningDays', 'Retry days must increase, like 3, 5, 7'],
    ['--tax-rate', 'lots', 'taxRate', 'Use a percentage like 8.25'],
    ['--invoice-prefix', 'IN V', 'invoicePrefix', 'Use letters, digits and dashes only'],
  ])('refuses %s %j as a validation error on %s (exit 1)', async (flag, value, field, message) => {
    const { cli, asOwner } = await withBusiness();
    const run = await cli(['business', 'update', flag, value, '--json'], asOwner);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(errorJson(run)).toEqual({ error: { code: 'validation', field, message } });
    const human = await cli(['business', 'update', flag, value], asOwner);
    expect(human.stderr).toBe(`Error: ${flag}: ${message}\n`);
  });

  it('is a usage error to change nothing', async () => {
    const { cli, asOwner } = await withBusiness();
    const run = await cli(['business', 'update', '--json'], asOwner);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(errorJson(run)).toEqual({ error: { code: 'usage', message: expect.stringContaining('Nothing to change') } });
  });

  it('is owner only: staff get exit 3 and the settings stay', async () => {
    const { cli, asOwner } = await withBusiness();
    const staff = await cli(['user', 'create', '--name', 'Sam Staff', '--email', 'sam@example.com', '--role', 'staff'], {
      ...asOwner,
      RECURRA_NEW_PASSWORD: 'staff password',
    });
    expect(staff.code).toBe(0);
    const run = await cli(['business', 'update', '--name', 'Hijacked', '--json'], {
      ...asOwner,
      RECURRA_USER: 'sam@example.com',
      RECURRA_PASSWORD: 'staff password',
    });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(errorJson(run)).toEqual({ error: { code: 'forbidden', message: 'Your role does not allow this' } });
    expect((await cli(['business', 'list', '--json'])).stdout).toContain('"Sunrise Yoga"');
  });
});
