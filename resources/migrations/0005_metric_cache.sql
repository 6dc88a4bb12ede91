CREATE TABLE `metric_customer_hours` (
	`hour` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `metric_days` (
	`date` text PRIMARY KEY NOT NULL,
	`mrr` integer NOT NULL,
	`paying` integer NOT NULL,
	`active` integer NOT NULL,
	`trialing` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `metric_dirty` (
	`customer_id` text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `metric_dirty_subscriptions` (
	`subscription_id` text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `metric_months` (
	`month` text PRIMARY KEY NOT NULL,
	`figures` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `metric_open_spans` (
	`invoice_id` text PRIMARY KEY NOT NULL,
	`issue_date` text NOT NULL,
	`due_date` text NOT NULL,
	`settled_on` text NOT NULL,
	`owed` integer NOT NULL,
	`paid` integer DEFAULT 0 NOT NULL,
	`paid_through` text,
	`failed_on` text
);
--> statement-breakpoint
CREATE INDEX `metric_open_spans_settled` ON `metric_open_spans` (`settled_on`,`issue_date`);--> statement-breakpoint
CREATE TABLE `metric_renewals` (
	`subscription_id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`plan_id` text NOT NULL,
	`date` text NOT NULL,
	`amount` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `metric_renewals_date` ON `metric_renewals` (`date`,"amount" DESC,`subscription_id`);--> statement-breakpoint
CREATE TABLE `metric_revenue` (
	`date` text PRIMARY KEY NOT NULL,
	`amount` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `metric_steps` (
	`customer_id` text NOT NULL,
	`date` text NOT NULL,
	`mrr` integer NOT NULL,
	`contributes` integer NOT NULL,
	`trialing` integer NOT NULL,
	PRIMARY KEY(`customer_id`, `date`)
);
--> statement-breakpoint
CREATE INDEX `metric_steps_date` ON `metric_steps` (`date`);--> statement-breakpoint
CREATE TABLE `metric_trials` (
	`subscription_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`ended_on` text NOT NULL,
	`converted` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `metric_trials_ended` ON `metric_trials` (`ended_on`);--> statement-breakpoint
CREATE INDEX `metric_trials_customer` ON `metric_trials` (`customer_id`);