-- Custom SQL migration (drizzle-kit generate --custom): a mark that names everyone. A '*' row in metric_dirty
-- (every customer's MRR steps) or metric_dirty_subscriptions (every subscription's next renewal) tells the
-- dashboard's fold to rebuild that table whole (src-main/core/metrics/maintained.ts), so while it is there the
-- two marks a billing run makes on nearly every step are redundant and skipped. A billing run sets it in its
-- batch's transaction when the fold would rebuild whole anyway (src-main/core/billing/engine.ts): more than
-- 3,000 customers marked, or at least half of the running subscriptions in its agenda. Each mark of a step was
-- a lookup (or an insert) in a 100,000-row index keyed by a random id: at 100,000 subscriptions 150 MB of the
-- month's page-cache misses (issue 10). The '*' row sorts before every id, on a page that stays in cache.
DROP TRIGGER metric_subscription_update;
--> statement-breakpoint
CREATE TRIGGER metric_subscription_update
  AFTER UPDATE OF id, customer_id, plan_id, status, quantity, anchor_date, next_period_index, coupon_id, coupon_applied_on, cancel_at_period_end ON subscriptions
  WHEN NOT EXISTS (SELECT 1 FROM metric_dirty_subscriptions WHERE subscription_id = '*') BEGIN
  INSERT OR IGNORE INTO metric_dirty_subscriptions (subscription_id) VALUES (OLD.id), (NEW.id);
END;
--> statement-breakpoint
DROP TRIGGER metric_history_insert;
--> statement-breakpoint
CREATE TRIGGER metric_history_insert AFTER INSERT ON subscription_history
  WHEN NOT EXISTS (SELECT 1 FROM metric_dirty WHERE customer_id = '*') BEGIN
  INSERT OR IGNORE INTO metric_dirty (customer_id) VALUES (NEW.customer_id);
END;
