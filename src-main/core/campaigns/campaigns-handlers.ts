import { defineHandlers } from '../define-handlers';
import type { SessionContext } from '../rpc';
import { todaysRisk } from '../insights/risk-scores';
import { audienceNeedsRisk, campaignAudience, createCampaign, emailOptOut, getCampaign, listCampaigns, previewAudience, queueCampaign, setEmailOptOut } from './campaigns-service';

const actorOf = (ctx: SessionContext) => ({ userId: ctx.user.id, userEmail: ctx.user.email });

export const campaignsHandlers = defineHandlers({
  'campaigns.list': (ctx) => ({ campaigns: listCampaigns(ctx.db) }),
  'campaigns.get': (ctx, { id }) => getCampaign(ctx.db, id),
  // An "At risk" view reads the insights worker's churn scores, made ready before the SQL runs.
  'campaigns.preview': async (ctx, { audience }) => previewAudience(ctx.db, audience, audienceNeedsRisk(ctx.db, audience) ? await todaysRisk(ctx) : undefined),
  'campaigns.create': (ctx, input) => {
    const campaign = createCampaign(ctx.db, actorOf(ctx), ctx.now, input);
    ctx.audit({ action: 'campaigns.create', entity: 'campaign', entityId: campaign.id, after: { name: campaign.name, subject: campaign.subject, audience: campaign.audience } });
    ctx.changed('campaigns');
    return campaign;
  },
  'campaigns.send': async (ctx, { id }) => {
    // One transaction freezes the audience and queues the emails; delivery follows (a crash in between: the outbox sends them later).
    const audience = campaignAudience(ctx.db, id);
    queueCampaign(ctx.db, actorOf(ctx), ctx.now, id, audienceNeedsRisk(ctx.db, audience) ? await todaysRisk(ctx) : undefined);
    await ctx.services.email.deliverDue();
    return getCampaign(ctx.db, id);
  },
  'customers.emailOptOut': (ctx, { id }) => emailOptOut(ctx.db, id),
  'customers.setEmailOptOut': (ctx, { id, optOut }) => {
    const { before, after } = setEmailOptOut(ctx.db, id, optOut, ctx.now.toISOString());
    if (before.emailOptOutAt !== after.emailOptOutAt) {
      ctx.audit({ action: optOut ? 'customers.unsubscribe' : 'customers.resubscribe', entity: 'customer', entityId: id, before, after });
      ctx.changed('customers', 'campaigns');
    }
    return after;
  },
});
