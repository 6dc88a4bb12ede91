-- Counter sales count in revenue (issue 14: "sales feed revenue"): a sale's
-- payments on their date, its refunds subtracted on theirs, as payments and
-- refunds of invoices do (0006_metric_triggers). The full computation
-- (metrics-service, dashboard, the server's metrics) reads the same rows.
CREATE TRIGGER metric_sale_payment_insert AFTER INSERT ON sale_payments BEGIN
  INSERT INTO metric_revenue (date, amount) VALUES (NEW.paid_on, NEW.amount) ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
END;
--> statement-breakpoint
CREATE TRIGGER metric_sale_payment_update AFTER UPDATE OF amount, paid_on ON sale_payments BEGIN
  INSERT INTO metric_revenue (date, amount) VALUES (OLD.paid_on, -OLD.amount) ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
  INSERT INTO metric_revenue (date, amount) VALUES (NEW.paid_on, NEW.amount) ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
END;
--> statement-breakpoint
CREATE TRIGGER metric_sale_payment_delete AFTER DELETE ON sale_payments BEGIN
  INSERT INTO metric_revenue (date, amount) VALUES (OLD.paid_on, -OLD.amount) ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
END;
--> statement-breakpoint
CREATE TRIGGER metric_sale_refund_insert AFTER INSERT ON sale_refunds BEGIN
  INSERT INTO metric_revenue (date, amount) VALUES (NEW.refunded_on, -NEW.amount) ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
END;
--> statement-breakpoint
CREATE TRIGGER metric_sale_refund_update AFTER UPDATE OF amount, refunded_on ON sale_refunds BEGIN
  INSERT INTO metric_revenue (date, amount) VALUES (OLD.refunded_on, OLD.amount) ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
  INSERT INTO metric_revenue (date, amount) VALUES (NEW.refunded_on, -NEW.amount) ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
END;
--> statement-breakpoint
CREATE TRIGGER metric_sale_refund_delete AFTER DELETE ON sale_refunds BEGIN
  INSERT INTO metric_revenue (date, amount) VALUES (OLD.refunded_on, OLD.amount) ON CONFLICT (date) DO UPDATE SET amount = amount + excluded.amount;
END;
