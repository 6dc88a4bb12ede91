import { describe, expect, it } from 'vitest';
import { errorJson, OWNER, withBusiness } from './run-cli';

const SAM = ['user', 'create', '--name', 'Sam Staff', '--email', 'sam@example.com', '--role', 'staff'];
const NEW_PASSWORD = { RECURRA_NEW_PASSWORD: 'staff password' };

describe('recurra user create', () => {
  it('lets the owner add a user: {user:{id,email,role}} with --json', async () => {
    const { cli, asOwner } = await withBusiness();
    const run = await cli([...SAM, '--json'], { ...asOwner, ...NEW_PASSWORD });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ user: { id: expect.any(String), email: 'sam@example.com', role: 'staff' } });
  });

  it('prints the new user for people, and the new user can then log in', async () => {
    const { cli, asOwner } = await withBusiness();
    const run = await cli(SAM, { ...asOwner, ...NEW_PASSWORD });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Created user Sam Staff\.\n/);
    expect(run.stdout).toMatch(/Role: +staff/);
    // Staff can log in (their refusal below is about the role, not the password).
    const asSam = { ...asOwner, RECURRA_USER: 'sam@example.com', RECURRA_PASSWORD: 'staff password' };
    const refused = await cli(['user', 'create', '--name', 'V', '--email', 'v@example.com', '--role', 'viewer'], {
      ...asSam,
      RECURRA_NEW_PASSWORD: 'viewer password',
    });
    expect(refused).toMatchObject({ code: 3, stdout: '', stderr: 'Error: Your role does not allow this\n' });
  });

  it('refuses staff with exit 3 and the forbidden code', async () => {
    const { cli, asOwner } = await withBusiness();
    await cli(SAM, { ...asOwner, ...NEW_PASSWORD });
    const run = await cli(['--user', 'sam@example.com', 'user', 'create', '--name', 'V', '--email', 'v@example.com', '--role', 'viewer', '--json'], {
      ...asOwner,
      RECURRA_USER: undefined,
      RECURRA_PASSWORD: 'staff password',
      RECURRA_NEW_PASSWORD: 'viewer password',
    });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(errorJson(run)).toEqual({ error: { code: 'forbidden', message: 'Your role does not allow this' } });
  });

  it('refuses a wrong password with exit 3', async () => {
    const { cli, asOwner } = await withBusiness();
    const run = await cli([...SAM, '--json'], { ...asOwner, ...NEW_PASSWORD, RECURRA_PASSWORD: 'not the password' });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(errorJson(run)).toEqual({ error: { code: 'unauthenticated', field: 'password', message: 'Wrong email or password' } });
    const human = await cli(SAM, { ...asOwner, ...NEW_PASSWORD, RECURRA_PASSWORD: 'not the password' });
    expect(human.stderr).toBe('Error: Wrong email or password\n');
  });

  it('takes --business and --user flags over the environment', async () => {
    const { cli, businessId } = await withBusiness();
    const run = await cli([...SAM, '--business', businessId, '--user', OWNER.email, '--json'], {
      RECURRA_PASSWORD: OWNER.password,
      RECURRA_BUSINESS: 'some-other-business',
      RECURRA_USER: 'someone@example.com',
      ...NEW_PASSWORD,
    });
    expect(run.code).toBe(0);
  });

  it('needs a business (usage, 2), then a user and a password (unauthenticated, 3)', async () => {
    const { cli, asOwner } = await withBusiness();
    const noBusiness = await cli([...SAM, '--json'], { ...asOwner, ...NEW_PASSWORD, RECURRA_BUSINESS: undefined });
    expect(noBusiness.code).toBe(2);
    expect(errorJson(noBusiness)).toEqual({ error: { code: 'usage', message: expect.stringContaining('--business') } });

    const noUser = await cli([...SAM, '--json'], { ...asOwner, ...NEW_PASSWORD, RECURRA_USER: undefined });
    expect(noUser.code).toBe(3);
    expect(errorJson(noUser)).toEqual({ error: { code: 'unauthenticated', message: expect.stringContaining('--user') } });

    const noPassword = await cli(SAM, { ...asOwner, ...NEW_PASSWORD, RECURRA_PASSWORD: '' });
    expect(noPassword.code).toBe(3);
    expect(noPassword.stderr).toMatch(/^Error: Set env RECURRA_PASSWORD to the password of olivia@example.com/);
    expect(noPassword.stdout).toBe('');
  });

  it('needs RECURRA_NEW_PASSWORD (usage, 2) and checks its length (validation, 1)', async () => {
    const { cli, asOwner } = await withBusiness();
    const missing = await cli(SAM, asOwner);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^Error: Set env RECURRA_NEW_PASSWORD/);
    const short = await cli([...SAM, '--json'], { ...asOwner, RECURRA_NEW_PASSWORD: 'short' });
    expect(short.code).toBe(1);
    expect(errorJson(short)).toEqual({ error: { code: 'validation', field: 'password', message: 'Use at least 8 characters' } });
  });

  it('reports an unknown business as not found (1)', async () => {
    const { cli, asOwner } = await withBusiness();
    const run = await cli([...SAM, '--json'], { ...asOwner, ...NEW_PASSWORD, RECURRA_BUSINESS: 'no-such-business' });
    expect(run.code).toBe(1);
    expect(errorJson(run)).toEqual({ error: { code: 'not_found', field: 'businessId', message: 'That business was not found' } });
  });

  it('refuses a bad role and a taken email with exit 1, naming the field', async () => {
    const { cli, asOwner } = await withBusiness();
    const env = { ...asOwner, ...NEW_PASSWORD };
    const badRole = await cli(['user', 'create', '--name', 'V', '--email', 'v@example.com', '--role', 'boss', '--json'], env);
    expect(badRole.code).toBe(1);
    expect(errorJson(badRole)).toEqual({ error: { code: 'validation', field: 'role', message: 'Role must be owner, staff or viewer' } });

    expect((await cli(SAM, env)).code).toBe(0);
    const taken = await cli(SAM, env);
    expect(taken).toMatchObject({ code: 1, stdout: '', stderr: 'Error: --email: A user with this email already exists\n' });
  });
});
