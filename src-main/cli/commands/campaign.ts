import fs from 'node:fs';
import type { Command } from 'commander';
import type { Campaign, CampaignDetail } from '@shared/contract/campaigns';
import type { CliContext } from '../context';
import { CliError } from '../errors';
import { moneyText, type CommandOutput } from '../output';
import type { Runner } from '../program';

// Email campaigns (spec/cli.md "Sales, email and campaigns"). Amounts in the
// JSON are minor units, like the other DTOs; the text shows them as money.

interface CreateOptions {
  name: string;
  subject: string;
  body: string;
  segment?: string;
  tag?: string;
  status?: string;
  view?: string;
}

export function registerCampaignCommands(program: Command, run: Runner): void {
  const campaign = program.command('campaign').description('email campaigns to customers by segment, tag, status or saved view');
  campaign
    .command('create')
    .description('a campaign (not sent yet); the audience is the customers matching every option given (none: everyone)')
    .requiredOption('--name <name>', 'what you call it')
    .requiredOption('--subject <subject>', 'the email subject')
    .requiredOption('--body <file>', 'a text (or Markdown) file with the message')
    .option('--segment <segment>', 'customers of this segment')
    .option('--tag <tag>', 'customers with this tag')
    .option('--status <status>', 'active or inactive')
    .option('--view <name>', 'a saved customer view')
    .action(run(campaignCreate));
  campaign
    .command('send')
    .description('emails each recipient once (unsubscribed customers never); sending again reaches only customers who joined the audience since')
    .argument('<id>', 'the campaign id')
    .action(run(campaignSend));
  campaign.command('show').description('results per recipient and the revenue it brought').argument('<id>', 'the campaign id').action(run(campaignShow));
}

/** `customer unsubscribe ID` / `customer resubscribe ID`: added to the customer command. */
export function registerCustomerUnsubscribe(program: Command, run: Runner): void {
  const customer = program.commands.find((c) => c.name() === 'customer');
  if (!customer) return;
  customer
    .command('unsubscribe')
    .description('no campaign email reaches this customer from now on (invoices and reminders still do)')
    .argument('<id>', 'the customer id')
    .action(run((ctx, _opts, args) => optOut(ctx, args[0] ?? '', true)));
  customer
    .command('resubscribe')
    .description('campaign emails reach this customer again')
    .argument('<id>', 'the customer id')
    .action(run((ctx, _opts, args) => optOut(ctx, args[0] ?? '', false)));
}

async function optOut(ctx: CliContext, id: string, optOut: boolean): Promise<CommandOutput> {
  await ctx.login();
  const result = await ctx.call('customers.setEmailOptOut', { id, optOut }, { id: `customer ${id}` });
  return {
    json: { customer: { id: result.customerId, emailOptOutAt: result.emailOptOutAt } },
    human: result.emailOptOutAt ? `Customer ${id} is unsubscribed from campaigns (since ${result.emailOptOutAt}).` : `Customer ${id} gets campaign emails again.`,
  };
}

async function campaignCreate(ctx: CliContext, opts: CreateOptions): Promise<CommandOutput> {
  let body: string;
  try {
    body = fs.readFileSync(opts.body, 'utf8');
  } catch {
    throw new CliError('validation', `No readable file at ${opts.body}`, 'body', '--body');
  }
  await ctx.login();
  const audience = {
    ...(opts.segment !== undefined ? { segment: opts.segment } : {}),
    ...(opts.tag !== undefined ? { tag: opts.tag } : {}),
    ...(opts.status !== undefined ? { status: opts.status as 'active' } : {}),
    ...(opts.view !== undefined ? { view: opts.view } : {}),
  };
  const flags = { name: '--name', subject: '--subject', body: '--body', 'audience.segment': '--segment', 'audience.tag': '--tag', 'audience.status': '--status', 'audience.view': '--view', view: '--view' };
  const campaign = await ctx.call('campaigns.create', { name: opts.name, subject: opts.subject, body, audience }, flags);
  const preview = await ctx.call('campaigns.preview', { audience: campaign.audience });
  return {
    json: { campaign: { id: campaign.id, name: campaign.name, audience: campaign.audience } },
    human: `Campaign ${campaign.id} “${campaign.name}” created: it would reach ${preview.count} ${preview.count === 1 ? 'customer' : 'customers'} now${preview.optedOut ? ` (${preview.optedOut} unsubscribed left out)` : ''}. Send it with: recurra campaign send ${campaign.id}`,
  };
}

function summary(c: Campaign) {
  return { campaign: { id: c.id, sent: c.sent, failed: c.failed, attributedRevenue: c.attributedRevenue } };
}

function describe(c: CampaignDetail): string {
  const lines = [
    `Campaign ${c.id} “${c.name}” (${c.status}${c.sentAt ? `, sent ${c.sentAt}` : ''})`,
    `  ${c.recipients} recipients: ${c.sent} sent, ${c.failed} failed, ${c.queued} waiting, ${c.skipped} skipped (unsubscribed)`,
  ];
  if (c.window) {
    lines.push(
      `  Revenue from recipients ${c.window.after.from} to ${c.window.after.to}: ${moneyText(c.attributedRevenue, c.currency)} (the 14 days before: ${moneyText(c.previousRevenue, c.currency)})`,
    );
  }
  for (const r of c.recipientRows) lines.push(`  ${r.status.padEnd(7)}  ${r.name} <${r.email}>${r.error ? `: ${r.error}` : ''}`);
  return lines.join('\n');
}

async function campaignSend(ctx: CliContext, _opts: unknown, [id = '']: string[]): Promise<CommandOutput> {
  await ctx.login();
  const c = await ctx.call('campaigns.send', { id }, { id: `campaign ${id}` });
  return { json: summary(c), human: describe(c) };
}

async function campaignShow(ctx: CliContext, _opts: unknown, [id = '']: string[]): Promise<CommandOutput> {
  await ctx.login();
  const c = await ctx.call('campaigns.get', { id }, { id: `campaign ${id}` });
  return { json: summary(c), human: describe(c) };
}
