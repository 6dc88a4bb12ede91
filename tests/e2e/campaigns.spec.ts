import { callRpc, shot, signUpOwner } from './app-steps';
import { expect, test } from './fixtures';
import { TestSmtp } from '../support/smtp';

type Ok<T> = { ok: true; data: T };

test('a campaign: audience with a live preview, send confirmed by the count, results per recipient; light and dark', async ({ app, page }) => {
  const smtp = await new TestSmtp().start();
  try {
    await signUpOwner(page, app.url);
    await callRpc(page, 'email.settings.set', { host: '127.0.0.1', port: smtp.port, user: 'shop', from: 'hello@sunrise.example', secure: false, password: 's3cret smtp' });
    const made: Record<string, string> = {};
    for (const [name, segment] of [
      ['Ada Lovelace', 'Retail'],
      ['Ben Okri', 'Retail'],
      ['Cy Twombly', 'Wholesale'],
      ['Dee Dee', 'Retail'],
    ] as const) {
      const c = (await callRpc(page, 'customers.create', { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com`, segment })) as Ok<{ id: string }>;
      made[name] = c.data.id;
    }
    await callRpc(page, 'customers.setEmailOptOut', { id: made['Dee Dee'], optOut: true });

    await page.goto(`${app.url}#/dashboard`);
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await expect(page.getByText('No campaigns yet')).toBeVisible();
    await page.getByRole('button', { name: 'New campaign' }).click();
    const preview = page.getByTestId('audience-preview');
    await expect(preview.getByText('3 customers')).toBeVisible();
    await expect(preview.getByText('1 unsubscribed left out')).toBeVisible();
    await page.getByRole('textbox', { name: 'Name' }).fill('Spring');
    await page.getByRole('textbox', { name: 'Subject' }).fill('Spring classes');
    await page.getByRole('textbox', { name: 'Message' }).fill('# New classes\n\nThey start **Monday**.\n\nSee you there! <script>alert(1)</script>');
    await page.getByRole('tab', { name: 'Preview' }).click();
    const body = page.getByTestId('campaign-preview');
    await expect(body.getByRole('heading', { name: 'New classes' })).toBeVisible();
    await expect(body.locator('strong')).toHaveText('Monday');
    await expect(body.getByText('See you there! <script>alert(1)</script>')).toBeVisible();
    await page.getByRole('tab', { name: 'Message' }).click();
    await page.getByRole('combobox', { name: 'Segment' }).click();
    await page.getByRole('option', { name: 'Retail' }).click();
    await expect(preview.getByText('2 customers')).toBeVisible();
    await expect(preview.getByText('Ada Lovelace')).toBeVisible();
    await expect(preview.getByText('Ben Okri')).toBeVisible();
    await expect(preview.getByText('Cy Twombly')).toHaveCount(0);
    await shot(page, 'campaign-new');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'campaign-new-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'Save campaign' }).click();

    await expect(page.getByRole('heading', { name: 'Spring' })).toBeVisible();
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.getByText('goes to 2 customers now')).toBeVisible();
    await page.getByRole('button', { name: 'Send to 2' }).click();
    await expect(page.getByText('Campaign sent')).toBeVisible();
    await expect(page.getByTestId('recipient-row')).toHaveCount(2);
    await expect(page.getByTestId('recipient-row').filter({ hasText: 'Sent' })).toHaveCount(2);
    expect(smtp.received.map((m) => (m.to && 'text' in m.to ? m.to.text : '')).sort()).toEqual(['"Ada Lovelace" <ada@example.com>', '"Ben Okri" <ben@example.com>']);
    expect(smtp.received[0]!.html).toMatch(/<h1[^>]*>New classes<\/h1>/);
    expect(smtp.received[0]!.text).toContain('They start Monday.');
    await expect(page.getByText('Campaign sent')).toBeHidden({ timeout: 20_000 });
    await shot(page, 'campaign-page');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'campaign-page-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('link', { name: 'Campaigns' }).click();
    await expect(page.getByTestId('campaign-row')).toHaveCount(1);
    await shot(page, 'campaigns-list');

    // The customer page says who unsubscribed, and the switch works.
    await page.goto(`${app.url}#/customers/${made['Dee Dee']}`);
    await expect(page.getByTestId('email-opt-out')).toContainText('Unsubscribed from campaign emails since');
    await page.getByRole('button', { name: 'Subscribe again' }).click();
    await expect(page.getByTestId('email-opt-out')).toContainText('Campaign emails reach this customer.');
    await shot(page, 'campaign-customer-opt-out');
  } finally {
    await smtp.stop();
  }
});
