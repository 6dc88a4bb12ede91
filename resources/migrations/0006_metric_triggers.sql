-- Custom SQL migration (drizzle-kit generate --custom): the triggers that keep the dashboard's tables
-- (0005_metric_cache, src-main/core/metrics/maintained.ts) true in the same transaction as every write,
-- and their first fill from the books already in the file.
-- `+status` in the lookups of one invoice's payments keeps SQLite on payments_invoice: without planner
-- statistics (a new file, a seed) it would take payments_status_date for max(paid_on) and read every payment.
CREATE TRIGGER metric_history_insert AFTER INSERT ON subscription_history BEGIN
  INSERT OR IGNORE INTO metric_dirty (customer_id) VALUES (NEW.customer_id);
END;
--> statement-breakpoint
CREATE TRIGGER metric_history_update AFTER UPDATE ON subscription_history BEGIN
  INSERT OR IGNORE INTO metric_dirty (customer_id) VALUES (OLD.customer_id), (NEW.customer_id);
END;
--> statement-breakpoint
CREATE TRIGGER metric_history_delete AFTER DELETE ON subscription_history BEGIN
  INSERT OR IGNORE INTO metric_dirty (customer_id) VALUES (OLD.customer_id);
END;
--> statement-breakpoint
CREATE TRIGGER metric_plan_update AFTER UPDATE ON plans BEGIN
  INSERT OR IGNORE INTO metric_dirty (customer_id) SELECT DISTINCT customer_id FROM subscription_history WHERE plan_id IN (OLD.id, NEW.id);
  INSERT OR IGNORE INTO metric_dirty_subscriptions (subscription_id) SELECT id FROM subscriptions WHERE plan_id IN (OLD.id, NEW.id);
END;
--> statement-breakpoint
CREATE TRIGGER metric_tier_insert AFTER INSERT ON plan_tiers BEGIN
  INSERT OR IGNORE INTO metric_dirty_subscriptions (subscription_id) SELECT id FROM subscriptions WHERE plan_id = NEW.plan_id;
END;
--> statement-breakpoint
CREATE TRIGGER metric_tier_update AFTER UPDATE ON plan_tiers BEGIN
  INSERT OR IGNORE INTO metric_dirty_subscriptions (subscription_id) SELECT id FROM subscriptions WHERE plan_id IN (OLD.plan_id, NEW.plan_id);
END;
--> statement-breakpoint
CREATE TRIGGER metric_tier_delete AFTER DELETE ON plan_tiers BEGIN
  INSERT OR IGNORE INTO metric_dirty_subscriptions (subscription_id) SELECT id FROM subscriptions WHERE plan_id = OLD.plan_id;
END;
--> statement-breakpoint
CREATE TRIGGER metric_coupon_update AFTER UPDATE ON coupons BEGIN
  INSERT OR IGNORE INTO metric_dirty (customer_id) SELECT DISTINCT customer_id FROM subscription_history WHERE coupon_id IN (OLD.id, NEW.id);
  INSERT OR IGNORE INTO metric_dirty_subscriptions (subscription_id) SELECT id FROM subscriptions WHERE coupon_id IN (OLD.id, NEW.id);
END;
--> statement-breakpoint
CREATE TRIGGER metric_subscription_insert AFTER INSERT ON subscriptions BEGIN
  INSERT OR IGNORE INTO metric_dirty_subscriptions (subscription_id) VALUES (NEW.id);
END;
--> statement-breakpoint
CREATE TRIGGER metric_subscription_update
  AFTER UPDATE OF id, customer_id, plan_id, status, quantity, anchor_date, next_period_index, coupon_id, coupon_applied_on, cancel_at_period_end ON subscriptions BEGIN
  INSERT OR IGNORE INTO metric_dirty_subscriptions (subscription_id) VALUES (OLD.id), (NEW.id);
END;
--> statement-breakpoint
CREATE TRIGGER metric_subscription_delete AFTER DELETE ON subscriptions BEGIN
  INSERT OR IGNORE INTO metric_dirty_subscriptions (subscription_id) VALUES (OLD.id);
END;
--> statement-breakpoint
CREATE TRIGGER metric_payment_insert AFTER INSERT ON payments WHEN NEW.status = 'succeeded' BEGIN
  INSERT INTO metric_revenue (date, amount) VALUES (NEW.paid_on, NEW.amount) ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
END;
--> statement-breakpoint
CREATE TRIGGER metric_payment_update AFTER UPDATE OF status, amount, paid_on ON payments BEGIN
  INSERT INTO metric_revenue (date, amount) SELECT OLD.paid_on, -OLD.amount WHERE OLD.status = 'succeeded' ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
  INSERT INTO metric_revenue (date, amount) SELECT NEW.paid_on, NEW.amount WHERE NEW.status = 'succeeded' ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
END;
--> statement-breakpoint
CREATE TRIGGER metric_payment_delete AFTER DELETE ON payments WHEN OLD.status = 'succeeded' BEGIN
  INSERT INTO metric_revenue (date, amount) VALUES (OLD.paid_on, -OLD.amount) ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
END;
--> statement-breakpoint
CREATE TRIGGER metric_refund_insert AFTER INSERT ON refunds BEGIN
  INSERT INTO metric_revenue (date, amount) VALUES (NEW.refunded_on, -NEW.amount) ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
END;
--> statement-breakpoint
CREATE TRIGGER metric_refund_update AFTER UPDATE OF amount, refunded_on ON refunds BEGIN
  INSERT INTO metric_revenue (date, amount) VALUES (OLD.refunded_on, OLD.amount) ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
  INSERT INTO metric_revenue (date, amount) VALUES (NEW.refunded_on, -NEW.amount) ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
END;
--> statement-breakpoint
CREATE TRIGGER metric_refund_delete AFTER DELETE ON refunds BEGIN
  INSERT INTO metric_revenue (date, amount) VALUES (OLD.refunded_on, OLD.amount) ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
END;
--> statement-breakpoint
CREATE TRIGGER metric_customer_insert AFTER INSERT ON customers BEGIN
  INSERT INTO metric_customer_hours (hour, count) VALUES (substr(NEW.created_at, 1, 13), 1) ON CONFLICT (hour) DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
CREATE TRIGGER metric_customer_update AFTER UPDATE OF created_at ON customers BEGIN
  INSERT INTO metric_customer_hours (hour, count) VALUES (substr(OLD.created_at, 1, 13), -1) ON CONFLICT (hour) DO UPDATE SET count = count - 1;
  INSERT INTO metric_customer_hours (hour, count) VALUES (substr(NEW.created_at, 1, 13), 1) ON CONFLICT (hour) DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
CREATE TRIGGER metric_customer_delete AFTER DELETE ON customers BEGIN
  INSERT INTO metric_customer_hours (hour, count) VALUES (substr(OLD.created_at, 1, 13), -1) ON CONFLICT (hour) DO UPDATE SET count = count - 1;
END;
--> statement-breakpoint
CREATE TRIGGER metric_invoice_insert AFTER INSERT ON invoices
  WHEN NEW.status <> 'draft' AND NEW.total > 0
   AND min(coalesce(NEW.paid_on, '9999-12-31'), coalesce(NEW.voided_on, '9999-12-31'), coalesce(NEW.uncollectible_on, '9999-12-31')) > NEW.issue_date BEGIN
  INSERT OR REPLACE INTO metric_open_spans (invoice_id, issue_date, due_date, settled_on, owed, paid, paid_through, failed_on)
  VALUES (NEW.id, NEW.issue_date, NEW.due_date,
          min(coalesce(NEW.paid_on, '9999-12-31'), coalesce(NEW.voided_on, '9999-12-31'), coalesce(NEW.uncollectible_on, '9999-12-31')), NEW.total - NEW.credit_applied,
          (SELECT coalesce(sum(amount), 0) FROM payments WHERE invoice_id = NEW.id AND +status = 'succeeded'),
          (SELECT max(paid_on) FROM payments WHERE invoice_id = NEW.id AND +status = 'succeeded'),
          (SELECT min(paid_on) FROM payments WHERE invoice_id = NEW.id AND +status = 'failed'));
END;
--> statement-breakpoint
CREATE TRIGGER metric_invoice_update
  AFTER UPDATE OF id, status, issue_date, due_date, total, credit_applied, paid_on, voided_on, uncollectible_on ON invoices BEGIN
  DELETE FROM metric_open_spans WHERE invoice_id = OLD.id;
  INSERT OR REPLACE INTO metric_open_spans (invoice_id, issue_date, due_date, settled_on, owed, paid, paid_through, failed_on)
  SELECT NEW.id, NEW.issue_date, NEW.due_date, settled, NEW.total - NEW.credit_applied,
         (SELECT coalesce(sum(amount), 0) FROM payments WHERE invoice_id = NEW.id AND +status = 'succeeded'),
          (SELECT max(paid_on) FROM payments WHERE invoice_id = NEW.id AND +status = 'succeeded'),
          (SELECT min(paid_on) FROM payments WHERE invoice_id = NEW.id AND +status = 'failed')
    FROM (SELECT min(coalesce(NEW.paid_on, '9999-12-31'), coalesce(NEW.voided_on, '9999-12-31'), coalesce(NEW.uncollectible_on, '9999-12-31')) AS settled)
   WHERE NEW.status <> 'draft' AND NEW.total > 0 AND settled > NEW.issue_date;
END;
--> statement-breakpoint
CREATE TRIGGER metric_span_payment_insert AFTER INSERT ON payments WHEN NEW.invoice_id IS NOT NULL BEGIN
  UPDATE metric_open_spans SET
    paid = (SELECT coalesce(sum(amount), 0) FROM payments WHERE invoice_id = NEW.invoice_id AND +status = 'succeeded'),
    paid_through = (SELECT max(paid_on) FROM payments WHERE invoice_id = NEW.invoice_id AND +status = 'succeeded'),
    failed_on = (SELECT min(paid_on) FROM payments WHERE invoice_id = NEW.invoice_id AND +status = 'failed')
  WHERE invoice_id = NEW.invoice_id;
END;
--> statement-breakpoint
CREATE TRIGGER metric_span_payment_update AFTER UPDATE OF invoice_id, status, amount, paid_on ON payments BEGIN
  UPDATE metric_open_spans SET
    paid = (SELECT coalesce(sum(amount), 0) FROM payments WHERE invoice_id = OLD.invoice_id AND +status = 'succeeded'),
    paid_through = (SELECT max(paid_on) FROM payments WHERE invoice_id = OLD.invoice_id AND +status = 'succeeded'),
    failed_on = (SELECT min(paid_on) FROM payments WHERE invoice_id = OLD.invoice_id AND +status = 'failed')
  WHERE invoice_id = OLD.invoice_id;
  UPDATE metric_open_spans SET
    paid = (SELECT coalesce(sum(amount), 0) FROM payments WHERE invoice_id = NEW.invoice_id AND +status = 'succeeded'),
    paid_through = (SELECT max(paid_on) FROM payments WHERE invoice_id = NEW.invoice_id AND +status = 'succeeded'),
    failed_on = (SELECT min(paid_on) FROM payments WHERE invoice_id = NEW.invoice_id AND +status = 'failed')
  WHERE invoice_id = NEW.invoice_id;
END;
--> statement-breakpoint
CREATE TRIGGER metric_span_payment_delete AFTER DELETE ON payments WHEN OLD.invoice_id IS NOT NULL BEGIN
  UPDATE metric_open_spans SET
    paid = (SELECT coalesce(sum(amount), 0) FROM payments WHERE invoice_id = OLD.invoice_id AND +status = 'succeeded'),
    paid_through = (SELECT max(paid_on) FROM payments WHERE invoice_id = OLD.invoice_id AND +status = 'succeeded'),
    failed_on = (SELECT min(paid_on) FROM payments WHERE invoice_id = OLD.invoice_id AND +status = 'failed')
  WHERE invoice_id = OLD.invoice_id;
END;
--> statement-breakpoint
CREATE TRIGGER metric_invoice_delete AFTER DELETE ON invoices BEGIN
  DELETE FROM metric_open_spans WHERE invoice_id = OLD.id;
END;
--> statement-breakpoint
INSERT OR IGNORE INTO metric_dirty (customer_id) SELECT DISTINCT customer_id FROM subscription_history;
--> statement-breakpoint
INSERT OR IGNORE INTO metric_dirty_subscriptions (subscription_id) SELECT id FROM subscriptions;
--> statement-breakpoint
INSERT INTO metric_revenue (date, amount)
  SELECT date, sum(amount) FROM (
    SELECT paid_on AS date, amount FROM payments WHERE status = 'succeeded'
    UNION ALL SELECT refunded_on, -amount FROM refunds)
  GROUP BY date;
--> statement-breakpoint
INSERT INTO metric_customer_hours (hour, count) SELECT substr(created_at, 1, 13), count(*) FROM customers GROUP BY 1;
--> statement-breakpoint
INSERT INTO metric_open_spans (invoice_id, issue_date, due_date, settled_on, owed, paid, paid_through, failed_on)
  SELECT id, issue_date, due_date, settled, total - credit_applied,
         (SELECT coalesce(sum(amount), 0) FROM payments WHERE invoice_id = i.id AND +status = 'succeeded'),
          (SELECT max(paid_on) FROM payments WHERE invoice_id = i.id AND +status = 'succeeded'),
          (SELECT min(paid_on) FROM payments WHERE invoice_id = i.id AND +status = 'failed')
    FROM (SELECT *, min(coalesce(paid_on, '9999-12-31'), coalesce(voided_on, '9999-12-31'), coalesce(uncollectible_on, '9999-12-31')) AS settled FROM invoices) i
   WHERE status <> 'draft' AND total > 0 AND settled > issue_date;
