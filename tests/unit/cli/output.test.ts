import { describe, expect, it } from 'vitest';
import { CliError, exitCodeFor } from '../../../src-main/cli/errors';
import { formatFields, formatTable, moneyText, printError } from '../../../src-main/cli/output';
import { parseWholeNumber, parseWholeNumberList } from '../../../src-main/cli/parse';

describe('the exit codes of spec/cli.md', () => {
  it('maps every error code', () => {
    expect(exitCodeFor('validation')).toBe(1);
    expect(exitCodeFor('not_found')).toBe(1);
    expect(exitCodeFor('conflict')).toBe(1);
    expect(exitCodeFor('internal')).toBe(1);
    expect(exitCodeFor('usage')).toBe(2);
    expect(exitCodeFor('unauthenticated')).toBe(3);
    expect(exitCodeFor('forbidden')).toBe(3);
  });

  it('finds the flag of a nested field ("dunningDays.1" is --dunning-days)', () => {
    const error = CliError.fromBody({ code: 'validation', field: 'dunningDays.1', message: 'Retries end by day 90' }, { dunningDays: '--dunning-days' });
    expect(error.flag).toBe('--dunning-days');
    let stderr = '';
    printError({ env: {}, stdout: () => {}, stderr: (s) => (stderr += s) }, false, error);
    expect(stderr).toBe('Error: --dunning-days: Retries end by day 90\n');
  });
});

describe('human output helpers', () => {
  it('aligns a table: left text, right-aligned amounts, no trailing spaces', () => {
    const rows = [
      { name: 'Basic', price: '$9.00' },
      { name: 'Professional', price: '$1,290.00' },
    ];
    expect(
      formatTable(rows, [
        { header: 'PLAN', value: (r) => r.name },
        { header: 'PRICE', value: (r) => r.price, align: 'right' },
      ]),
    ).toBe(['PLAN              PRICE', 'Basic             $9.00', 'Professional  $1,290.00'].join('\n'));
    expect(formatTable([], [{ header: 'ID', value: () => '' }])).toBe('ID');
  });

  it('aligns label: value lines', () => {
    expect(formatFields([['Id', '1'], ['Time zone', 'UTC']])).toBe('Id:         1\nTime zone:  UTC');
  });

  it('formats money from minor units, exactly', () => {
    expect(moneyText(2900, 'USD')).toBe('$29.00');
    expect(moneyText(150000, 'JPY')).toBe('¥150,000');
    expect(moneyText(1, 'KWD')).toBe('KWD\u00a00.001'); // Intl puts a no-break space after a code
    expect(moneyText(123, 'XXX')).toBe('123 XXX (minor units)');
  });
});

describe('strict number parsing of flags', () => {
  it('takes whole numbers only and names the field', () => {
    expect(parseWholeNumber(' 30 ', 'netTermsDays', '--net-terms', 'bad')).toBe(30);
    expect(parseWholeNumber('-5', 'netTermsDays', '--net-terms', 'bad')).toBe(-5);
    for (const text of ['30x', '3.0', '1e3', '0x1f', '', ' ', '99999999999999999999']) {
      expect(() => parseWholeNumber(text, 'netTermsDays', '--net-terms', 'bad'), text).toThrow(
        expect.objectContaining({ code: 'validation', field: 'netTermsDays', flag: '--net-terms', message: 'bad' }),
      );
    }
    expect(parseWholeNumberList('3, 5,7', 'dunningDays', '--dunning-days', 'bad')).toEqual([3, 5, 7]);
    expect(() => parseWholeNumberList('3,', 'dunningDays', '--dunning-days', 'bad')).toThrow('bad');
  });
});
