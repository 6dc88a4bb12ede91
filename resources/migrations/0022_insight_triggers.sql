-- Custom SQL migration (drizzle-kit generate --custom): the triggers that keep insight_customer_days
-- (0021_insight_customer_days, src-main/core/db/schema/insights-cache.ts) true in the same transaction as
-- every write, and its first fill from the books already in the file. Each write recomputes the touched
-- customer's lists from its own rows (one index lookup: payments_customer, invoices_customer,
-- customer_events_timeline, sales_customer), so a back-dated row, a refund, a void or a moved payment is
-- as exact as a new one. An invoice that never went past due (a draft, one paid on time) touches nothing;
-- a payment dated on or after the customer's last one of its kind is appended without a recount. Customers who no longer exist get no row (the reader starts from customers).
-- The lists are what src-main/core/insights/books.ts reads row by row (tests/unit/insights/maintained-days.test.ts).
-- insight_currency_rows counts the money rows of each table in each currency (the forecast's "did the books
-- change currency?" reads it before it scans anything).
CREATE TRIGGER insight_payments_insert AFTER INSERT ON payments BEGIN
  UPDATE insight_customer_days SET
    failed = CASE WHEN NEW.status <> 'failed' THEN failed WHEN unixepoch(NEW.paid_on) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payments WHERE customer_id = NEW.customer_id AND paid_on > NEW.paid_on AND +status = 'failed') THEN (CASE WHEN failed = '' THEN (unixepoch(NEW.paid_on) / 86400) ELSE failed || ',' || (unixepoch(NEW.paid_on) / 86400) END) ELSE coalesce((SELECT group_concat((unixepoch(paid_on) / 86400), ',' ORDER BY paid_on) FROM payments WHERE customer_id = NEW.customer_id AND +status = 'failed'), '') END,
    paid = CASE WHEN NEW.status <> 'succeeded' THEN paid WHEN unixepoch(NEW.paid_on) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payments WHERE customer_id = NEW.customer_id AND paid_on > NEW.paid_on AND +status = 'succeeded') THEN (CASE WHEN paid = '' THEN (unixepoch(NEW.paid_on) / 86400) ELSE paid || ',' || (unixepoch(NEW.paid_on) / 86400) END) ELSE coalesce((SELECT group_concat((unixepoch(paid_on) / 86400), ',' ORDER BY paid_on) FROM payments WHERE customer_id = NEW.customer_id AND +status = 'succeeded'), '') END
  WHERE customer_id = NEW.customer_id;
  INSERT INTO insight_customer_days (customer_id, failed, paid)
  SELECT id, coalesce((SELECT group_concat((unixepoch(paid_on) / 86400), ',' ORDER BY paid_on) FROM payments WHERE customer_id = NEW.customer_id AND +status = 'failed'), ''),
    coalesce((SELECT group_concat((unixepoch(paid_on) / 86400), ',' ORDER BY paid_on) FROM payments WHERE customer_id = NEW.customer_id AND +status = 'succeeded'), '')
  FROM customers WHERE id = NEW.customer_id AND NOT EXISTS (SELECT 1 FROM insight_customer_days WHERE customer_id = NEW.customer_id);
END;
--> statement-breakpoint
CREATE TRIGGER insight_payments_update AFTER UPDATE OF status, paid_on, customer_id ON payments BEGIN
  INSERT INTO insight_customer_days (customer_id, failed, paid)
  SELECT id, coalesce((SELECT group_concat((unixepoch(paid_on) / 86400), ',' ORDER BY paid_on) FROM payments WHERE customer_id = OLD.customer_id AND +status = 'failed'), ''),
    coalesce((SELECT group_concat((unixepoch(paid_on) / 86400), ',' ORDER BY paid_on) FROM payments WHERE customer_id = OLD.customer_id AND +status = 'succeeded'), '')
  FROM customers WHERE id = OLD.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET failed = excluded.failed, paid = excluded.paid;
  INSERT INTO insight_customer_days (customer_id, failed, paid)
  SELECT id, coalesce((SELECT group_concat((unixepoch(paid_on) / 86400), ',' ORDER BY paid_on) FROM payments WHERE customer_id = NEW.customer_id AND +status = 'failed'), ''),
    coalesce((SELECT group_concat((unixepoch(paid_on) / 86400), ',' ORDER BY paid_on) FROM payments WHERE customer_id = NEW.customer_id AND +status = 'succeeded'), '')
  FROM customers WHERE id = NEW.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET failed = excluded.failed, paid = excluded.paid;
END;
--> statement-breakpoint
CREATE TRIGGER insight_payments_delete AFTER DELETE ON payments BEGIN
  INSERT INTO insight_customer_days (customer_id, failed, paid)
  SELECT id, coalesce((SELECT group_concat((unixepoch(paid_on) / 86400), ',' ORDER BY paid_on) FROM payments WHERE customer_id = OLD.customer_id AND +status = 'failed'), ''),
    coalesce((SELECT group_concat((unixepoch(paid_on) / 86400), ',' ORDER BY paid_on) FROM payments WHERE customer_id = OLD.customer_id AND +status = 'succeeded'), '')
  FROM customers WHERE id = OLD.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET failed = excluded.failed, paid = excluded.paid;
END;
--> statement-breakpoint
CREATE TRIGGER insight_invoices_insert AFTER INSERT ON invoices WHEN (NEW.status <> 'draft' AND NEW.amount_due + NEW.amount_paid > 0 AND NEW.due_date < coalesce(NEW.paid_on, NEW.voided_on, NEW.uncollectible_on, '9999-12-31')) BEGIN
  INSERT INTO insight_customer_days (customer_id, invoices)
  SELECT id, coalesce((SELECT group_concat((unixepoch(issue_date) / 86400) || ',' || (unixepoch(due_date) / 86400) || ',' || coalesce((unixepoch(coalesce(paid_on, voided_on, uncollectible_on)) / 86400), 'x'), ',' ORDER BY issue_date, due_date, coalesce(coalesce(paid_on, voided_on, uncollectible_on), '9999-12-31')) FROM invoices WHERE customer_id = NEW.customer_id AND status <> 'draft' AND amount_due + amount_paid > 0 AND due_date < coalesce(coalesce(paid_on, voided_on, uncollectible_on), '9999-12-31')), '')
  FROM customers WHERE id = NEW.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET invoices = excluded.invoices;
END;
--> statement-breakpoint
CREATE TRIGGER insight_invoices_update AFTER UPDATE OF status, issue_date, due_date, paid_on, voided_on, uncollectible_on, amount_due, amount_paid, customer_id ON invoices WHEN ((OLD.status <> 'draft' AND OLD.amount_due + OLD.amount_paid > 0 AND OLD.due_date < coalesce(OLD.paid_on, OLD.voided_on, OLD.uncollectible_on, '9999-12-31')) OR (NEW.status <> 'draft' AND NEW.amount_due + NEW.amount_paid > 0 AND NEW.due_date < coalesce(NEW.paid_on, NEW.voided_on, NEW.uncollectible_on, '9999-12-31'))) AND NOT ((OLD.status <> 'draft' AND OLD.amount_due + OLD.amount_paid > 0 AND OLD.due_date < coalesce(OLD.paid_on, OLD.voided_on, OLD.uncollectible_on, '9999-12-31')) AND (NEW.status <> 'draft' AND NEW.amount_due + NEW.amount_paid > 0 AND NEW.due_date < coalesce(NEW.paid_on, NEW.voided_on, NEW.uncollectible_on, '9999-12-31')) AND (OLD.customer_id = NEW.customer_id AND OLD.issue_date = NEW.issue_date AND OLD.due_date = NEW.due_date AND coalesce(OLD.paid_on, OLD.voided_on, OLD.uncollectible_on) IS coalesce(NEW.paid_on, NEW.voided_on, NEW.uncollectible_on))) BEGIN
  INSERT INTO insight_customer_days (customer_id, invoices)
  SELECT id, coalesce((SELECT group_concat((unixepoch(issue_date) / 86400) || ',' || (unixepoch(due_date) / 86400) || ',' || coalesce((unixepoch(coalesce(paid_on, voided_on, uncollectible_on)) / 86400), 'x'), ',' ORDER BY issue_date, due_date, coalesce(coalesce(paid_on, voided_on, uncollectible_on), '9999-12-31')) FROM invoices WHERE customer_id = OLD.customer_id AND status <> 'draft' AND amount_due + amount_paid > 0 AND due_date < coalesce(coalesce(paid_on, voided_on, uncollectible_on), '9999-12-31')), '')
  FROM customers WHERE id = OLD.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET invoices = excluded.invoices;
  INSERT INTO insight_customer_days (customer_id, invoices)
  SELECT id, coalesce((SELECT group_concat((unixepoch(issue_date) / 86400) || ',' || (unixepoch(due_date) / 86400) || ',' || coalesce((unixepoch(coalesce(paid_on, voided_on, uncollectible_on)) / 86400), 'x'), ',' ORDER BY issue_date, due_date, coalesce(coalesce(paid_on, voided_on, uncollectible_on), '9999-12-31')) FROM invoices WHERE customer_id = NEW.customer_id AND status <> 'draft' AND amount_due + amount_paid > 0 AND due_date < coalesce(coalesce(paid_on, voided_on, uncollectible_on), '9999-12-31')), '')
  FROM customers WHERE id = NEW.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET invoices = excluded.invoices;
END;
--> statement-breakpoint
CREATE TRIGGER insight_invoices_delete AFTER DELETE ON invoices WHEN (OLD.status <> 'draft' AND OLD.amount_due + OLD.amount_paid > 0 AND OLD.due_date < coalesce(OLD.paid_on, OLD.voided_on, OLD.uncollectible_on, '9999-12-31')) BEGIN
  INSERT INTO insight_customer_days (customer_id, invoices)
  SELECT id, coalesce((SELECT group_concat((unixepoch(issue_date) / 86400) || ',' || (unixepoch(due_date) / 86400) || ',' || coalesce((unixepoch(coalesce(paid_on, voided_on, uncollectible_on)) / 86400), 'x'), ',' ORDER BY issue_date, due_date, coalesce(coalesce(paid_on, voided_on, uncollectible_on), '9999-12-31')) FROM invoices WHERE customer_id = OLD.customer_id AND status <> 'draft' AND amount_due + amount_paid > 0 AND due_date < coalesce(coalesce(paid_on, voided_on, uncollectible_on), '9999-12-31')), '')
  FROM customers WHERE id = OLD.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET invoices = excluded.invoices;
END;
--> statement-breakpoint
CREATE TRIGGER insight_customer_events_insert AFTER INSERT ON customer_events WHEN NEW.kind IN ('note', 'call', 'email') BEGIN
  INSERT INTO insight_customer_days (customer_id, notes)
  SELECT id, coalesce((SELECT group_concat((unixepoch(substr(occurred_at, 1, 10)) / 86400), ',' ORDER BY substr(occurred_at, 1, 10)) FROM customer_events WHERE customer_id = NEW.customer_id AND kind IN ('note', 'call', 'email')), '')
  FROM customers WHERE id = NEW.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET notes = excluded.notes;
END;
--> statement-breakpoint
CREATE TRIGGER insight_customer_events_update AFTER UPDATE OF kind, occurred_at, customer_id ON customer_events WHEN OLD.kind IN ('note', 'call', 'email') OR NEW.kind IN ('note', 'call', 'email') BEGIN
  INSERT INTO insight_customer_days (customer_id, notes)
  SELECT id, coalesce((SELECT group_concat((unixepoch(substr(occurred_at, 1, 10)) / 86400), ',' ORDER BY substr(occurred_at, 1, 10)) FROM customer_events WHERE customer_id = OLD.customer_id AND kind IN ('note', 'call', 'email')), '')
  FROM customers WHERE id = OLD.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET notes = excluded.notes;
  INSERT INTO insight_customer_days (customer_id, notes)
  SELECT id, coalesce((SELECT group_concat((unixepoch(substr(occurred_at, 1, 10)) / 86400), ',' ORDER BY substr(occurred_at, 1, 10)) FROM customer_events WHERE customer_id = NEW.customer_id AND kind IN ('note', 'call', 'email')), '')
  FROM customers WHERE id = NEW.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET notes = excluded.notes;
END;
--> statement-breakpoint
CREATE TRIGGER insight_customer_events_delete AFTER DELETE ON customer_events WHEN OLD.kind IN ('note', 'call', 'email') BEGIN
  INSERT INTO insight_customer_days (customer_id, notes)
  SELECT id, coalesce((SELECT group_concat((unixepoch(substr(occurred_at, 1, 10)) / 86400), ',' ORDER BY substr(occurred_at, 1, 10)) FROM customer_events WHERE customer_id = OLD.customer_id AND kind IN ('note', 'call', 'email')), '')
  FROM customers WHERE id = OLD.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET notes = excluded.notes;
END;
--> statement-breakpoint
CREATE TRIGGER insight_sales_insert AFTER INSERT ON sales WHEN NEW.customer_id IS NOT NULL BEGIN
  INSERT INTO insight_customer_days (customer_id, sales)
  SELECT id, coalesce((SELECT group_concat((unixepoch(sold_on) / 86400), ',' ORDER BY sold_on) FROM sales WHERE customer_id = NEW.customer_id), '')
  FROM customers WHERE id = NEW.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET sales = excluded.sales;
END;
--> statement-breakpoint
CREATE TRIGGER insight_sales_update AFTER UPDATE OF sold_on, customer_id ON sales WHEN OLD.customer_id IS NOT NULL OR NEW.customer_id IS NOT NULL BEGIN
  INSERT INTO insight_customer_days (customer_id, sales)
  SELECT id, coalesce((SELECT group_concat((unixepoch(sold_on) / 86400), ',' ORDER BY sold_on) FROM sales WHERE customer_id = OLD.customer_id), '')
  FROM customers WHERE id = OLD.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET sales = excluded.sales;
  INSERT INTO insight_customer_days (customer_id, sales)
  SELECT id, coalesce((SELECT group_concat((unixepoch(sold_on) / 86400), ',' ORDER BY sold_on) FROM sales WHERE customer_id = NEW.customer_id), '')
  FROM customers WHERE id = NEW.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET sales = excluded.sales;
END;
--> statement-breakpoint
CREATE TRIGGER insight_sales_delete AFTER DELETE ON sales WHEN OLD.customer_id IS NOT NULL BEGIN
  INSERT INTO insight_customer_days (customer_id, sales)
  SELECT id, coalesce((SELECT group_concat((unixepoch(sold_on) / 86400), ',' ORDER BY sold_on) FROM sales WHERE customer_id = OLD.customer_id), '')
  FROM customers WHERE id = OLD.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET sales = excluded.sales;
END;
--> statement-breakpoint
CREATE TRIGGER insight_payments_currency_insert AFTER INSERT ON payments BEGIN
  INSERT INTO insight_currency_rows (source, currency, rows) VALUES ('payments', NEW.currency, 1)
  ON CONFLICT (source, currency) DO UPDATE SET rows = rows + excluded.rows;
END;
--> statement-breakpoint
CREATE TRIGGER insight_payments_currency_update AFTER UPDATE OF currency ON payments BEGIN
  INSERT INTO insight_currency_rows (source, currency, rows) VALUES ('payments', OLD.currency, -1)
  ON CONFLICT (source, currency) DO UPDATE SET rows = rows + excluded.rows;
  INSERT INTO insight_currency_rows (source, currency, rows) VALUES ('payments', NEW.currency, 1)
  ON CONFLICT (source, currency) DO UPDATE SET rows = rows + excluded.rows;
END;
--> statement-breakpoint
CREATE TRIGGER insight_payments_currency_delete AFTER DELETE ON payments BEGIN
  INSERT INTO insight_currency_rows (source, currency, rows) VALUES ('payments', OLD.currency, -1)
  ON CONFLICT (source, currency) DO UPDATE SET rows = rows + excluded.rows;
END;
--> statement-breakpoint
CREATE TRIGGER insight_sale_payments_currency_insert AFTER INSERT ON sale_payments BEGIN
  INSERT INTO insight_currency_rows (source, currency, rows) VALUES ('sale_payments', NEW.currency, 1)
  ON CONFLICT (source, currency) DO UPDATE SET rows = rows + excluded.rows;
END;
--> statement-breakpoint
CREATE TRIGGER insight_sale_payments_currency_update AFTER UPDATE OF currency ON sale_payments BEGIN
  INSERT INTO insight_currency_rows (source, currency, rows) VALUES ('sale_payments', OLD.currency, -1)
  ON CONFLICT (source, currency) DO UPDATE SET rows = rows + excluded.rows;
  INSERT INTO insight_currency_rows (source, currency, rows) VALUES ('sale_payments', NEW.currency, 1)
  ON CONFLICT (source, currency) DO UPDATE SET rows = rows + excluded.rows;
END;
--> statement-breakpoint
CREATE TRIGGER insight_sale_payments_currency_delete AFTER DELETE ON sale_payments BEGIN
  INSERT INTO insight_currency_rows (source, currency, rows) VALUES ('sale_payments', OLD.currency, -1)
  ON CONFLICT (source, currency) DO UPDATE SET rows = rows + excluded.rows;
END;
--> statement-breakpoint
CREATE TRIGGER insight_invoices_currency_insert AFTER INSERT ON invoices BEGIN
  INSERT INTO insight_currency_rows (source, currency, rows) VALUES ('invoices', NEW.currency, 1)
  ON CONFLICT (source, currency) DO UPDATE SET rows = rows + excluded.rows;
END;
--> statement-breakpoint
CREATE TRIGGER insight_invoices_currency_update AFTER UPDATE OF currency ON invoices BEGIN
  INSERT INTO insight_currency_rows (source, currency, rows) VALUES ('invoices', OLD.currency, -1)
  ON CONFLICT (source, currency) DO UPDATE SET rows = rows + excluded.rows;
  INSERT INTO insight_currency_rows (source, currency, rows) VALUES ('invoices', NEW.currency, 1)
  ON CONFLICT (source, currency) DO UPDATE SET rows = rows + excluded.rows;
END;
--> statement-breakpoint
CREATE TRIGGER insight_invoices_currency_delete AFTER DELETE ON invoices BEGIN
  INSERT INTO insight_currency_rows (source, currency, rows) VALUES ('invoices', OLD.currency, -1)
  ON CONFLICT (source, currency) DO UPDATE SET rows = rows + excluded.rows;
END;
--> statement-breakpoint
INSERT INTO insight_currency_rows (source, currency, rows)
SELECT 'payments', currency, count(*) FROM payments GROUP BY currency
UNION ALL SELECT 'sale_payments', currency, count(*) FROM sale_payments GROUP BY currency
UNION ALL SELECT 'invoices', currency, count(*) FROM invoices GROUP BY currency;
--> statement-breakpoint
CREATE TRIGGER insight_customers_delete AFTER DELETE ON customers BEGIN
  DELETE FROM insight_customer_days WHERE customer_id = OLD.id;
END;
--> statement-breakpoint
INSERT INTO insight_customer_days (customer_id, failed, paid, notes, sales, invoices)
SELECT c.id, coalesce((SELECT group_concat((unixepoch(paid_on) / 86400), ',' ORDER BY paid_on) FROM payments WHERE customer_id = c.id AND +status = 'failed'), ''),
  coalesce((SELECT group_concat((unixepoch(paid_on) / 86400), ',' ORDER BY paid_on) FROM payments WHERE customer_id = c.id AND +status = 'succeeded'), ''),
  coalesce((SELECT group_concat((unixepoch(substr(occurred_at, 1, 10)) / 86400), ',' ORDER BY substr(occurred_at, 1, 10)) FROM customer_events WHERE customer_id = c.id AND kind IN ('note', 'call', 'email')), ''),
  coalesce((SELECT group_concat((unixepoch(sold_on) / 86400), ',' ORDER BY sold_on) FROM sales WHERE customer_id = c.id), ''),
  coalesce((SELECT group_concat((unixepoch(issue_date) / 86400) || ',' || (unixepoch(due_date) / 86400) || ',' || coalesce((unixepoch(coalesce(paid_on, voided_on, uncollectible_on)) / 86400), 'x'), ',' ORDER BY issue_date, due_date, coalesce(coalesce(paid_on, voided_on, uncollectible_on), '9999-12-31')) FROM invoices WHERE customer_id = c.id AND status <> 'draft' AND amount_due + amount_paid > 0 AND due_date < coalesce(coalesce(paid_on, voided_on, uncollectible_on), '9999-12-31')), '')
FROM customers c;
