DROP INDEX `invoices_retry`;--> statement-breakpoint
DROP INDEX `invoices_subscription_status`;