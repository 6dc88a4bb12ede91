-- Custom SQL migration (drizzle-kit generate --custom): the triggers that keep insight_changes (0023,
-- src-main/core/db/schema/insights-cache.ts): each write that can move a customer's churn or LTV inputs sets that
-- customer's seq to one more than the largest, in the same transaction. The customer's own row, its subscription
-- history, and its insight_customer_days row (which 0022's triggers keep for payments, invoices, notes and sales)
-- name the customer; plans, coupons and the business's currency name everyone ('*'). The insights worker reads the
-- rows above the largest seq it has seen (src-main/core/insights/incremental.ts); nothing here is ever the only copy.
CREATE TRIGGER insight_changes_customers_insert AFTER INSERT ON customers BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES (NEW.id, (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
--> statement-breakpoint
CREATE TRIGGER insight_changes_customers_update AFTER UPDATE OF id, name, segment ON customers BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES (OLD.id, (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
  INSERT INTO insight_changes (customer_id, seq) VALUES (NEW.id, (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
--> statement-breakpoint
CREATE TRIGGER insight_changes_customers_delete AFTER DELETE ON customers BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES (OLD.id, (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
--> statement-breakpoint
CREATE TRIGGER insight_changes_history_insert AFTER INSERT ON subscription_history BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES (NEW.customer_id, (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
--> statement-breakpoint
CREATE TRIGGER insight_changes_history_update AFTER UPDATE ON subscription_history BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES (OLD.customer_id, (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
  INSERT INTO insight_changes (customer_id, seq) VALUES (NEW.customer_id, (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
--> statement-breakpoint
CREATE TRIGGER insight_changes_history_delete AFTER DELETE ON subscription_history BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES (OLD.customer_id, (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
--> statement-breakpoint
CREATE TRIGGER insight_changes_days_insert AFTER INSERT ON insight_customer_days BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES (NEW.customer_id, (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
--> statement-breakpoint
CREATE TRIGGER insight_changes_days_update AFTER UPDATE ON insight_customer_days BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES (OLD.customer_id, (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
  INSERT INTO insight_changes (customer_id, seq) VALUES (NEW.customer_id, (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
--> statement-breakpoint
CREATE TRIGGER insight_changes_days_delete AFTER DELETE ON insight_customer_days BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES (OLD.customer_id, (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
--> statement-breakpoint
CREATE TRIGGER insight_changes_plans_insert AFTER INSERT ON plans BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES ('*', (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
--> statement-breakpoint
CREATE TRIGGER insight_changes_plans_update AFTER UPDATE ON plans BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES ('*', (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
--> statement-breakpoint
CREATE TRIGGER insight_changes_plans_delete AFTER DELETE ON plans BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES ('*', (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
--> statement-breakpoint
CREATE TRIGGER insight_changes_coupons_insert AFTER INSERT ON coupons BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES ('*', (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
--> statement-breakpoint
CREATE TRIGGER insight_changes_coupons_update AFTER UPDATE ON coupons BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES ('*', (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
--> statement-breakpoint
CREATE TRIGGER insight_changes_coupons_delete AFTER DELETE ON coupons BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES ('*', (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
--> statement-breakpoint
CREATE TRIGGER insight_changes_currency AFTER UPDATE OF currency ON business BEGIN
  INSERT INTO insight_changes (customer_id, seq) VALUES ('*', (SELECT coalesce(max(seq), 0) + 1 FROM insight_changes))
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;
END;
