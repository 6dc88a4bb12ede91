CREATE TABLE `insight_currency_rows` (
	`source` text NOT NULL,
	`currency` text NOT NULL,
	`rows` integer NOT NULL,
	PRIMARY KEY(`source`, `currency`)
);
--> statement-breakpoint
CREATE TABLE `insight_customer_days` (
	`customer_id` text PRIMARY KEY NOT NULL,
	`failed` text DEFAULT '' NOT NULL,
	`paid` text DEFAULT '' NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`sales` text DEFAULT '' NOT NULL,
	`invoices` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sales_customer` ON `sales` (`customer_id`,`sold_on`);