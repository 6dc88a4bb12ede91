CREATE TABLE `stock_movements` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`kind` text NOT NULL,
	`quantity` integer NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`sale_id` text,
	`sale_refund_id` text,
	`user_id` text,
	`occurred_on` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "stock_movements_quantity" CHECK("stock_movements"."quantity" <> 0)
);
--> statement-breakpoint
CREATE INDEX `stock_movements_product` ON `stock_movements` (`product_id`,`occurred_on`);--> statement-breakpoint
CREATE INDEX `stock_movements_sale` ON `stock_movements` (`sale_id`);--> statement-breakpoint
CREATE TABLE `sale_payments` (
	`id` text PRIMARY KEY NOT NULL,
	`sale_id` text NOT NULL,
	`method` text NOT NULL,
	`amount` integer NOT NULL,
	`tendered` integer,
	`change_given` integer DEFAULT 0 NOT NULL,
	`currency` text NOT NULL,
	`paid_on` text NOT NULL,
	`reference` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`sale_id`) REFERENCES `sales`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "sale_payments_amount" CHECK("sale_payments"."amount" > 0)
);
--> statement-breakpoint
CREATE INDEX `sale_payments_sale` ON `sale_payments` (`sale_id`);--> statement-breakpoint
CREATE INDEX `sale_payments_date` ON `sale_payments` (`paid_on`);--> statement-breakpoint
CREATE TABLE `sale_refund_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`refund_id` text NOT NULL,
	`sale_line_id` text NOT NULL,
	`product_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`amount` integer NOT NULL,
	`tax` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`refund_id`) REFERENCES `sale_refunds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sale_line_id`) REFERENCES `sale_lines`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "sale_refund_lines_quantity" CHECK("sale_refund_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE INDEX `sale_refund_lines_refund` ON `sale_refund_lines` (`refund_id`);--> statement-breakpoint
CREATE INDEX `sale_refund_lines_line` ON `sale_refund_lines` (`sale_line_id`);--> statement-breakpoint
CREATE TABLE `sale_refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`sale_id` text NOT NULL,
	`refunded_on` text NOT NULL,
	`amount` integer NOT NULL,
	`tax` integer DEFAULT 0 NOT NULL,
	`currency` text NOT NULL,
	`method` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`created_by` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`sale_id`) REFERENCES `sales`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "sale_refunds_amount" CHECK("sale_refunds"."amount" >= 0)
);
--> statement-breakpoint
CREATE INDEX `sale_refunds_sale` ON `sale_refunds` (`sale_id`);--> statement-breakpoint
CREATE INDEX `sale_refunds_date` ON `sale_refunds` (`refunded_on`);--> statement-breakpoint
CREATE TABLE `credit_note_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`credit_note_id` text NOT NULL,
	`position` integer NOT NULL,
	`description` text NOT NULL,
	`quantity` integer DEFAULT 1 NOT NULL,
	`unit_amount` integer,
	`amount` integer NOT NULL,
	`invoice_line_id` text,
	FOREIGN KEY (`credit_note_id`) REFERENCES `credit_notes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `credit_note_lines_note` ON `credit_note_lines` (`credit_note_id`,`position`);--> statement-breakpoint
CREATE TABLE `credit_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`invoice_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`issue_date` text NOT NULL,
	`currency` text NOT NULL,
	`subtotal` integer NOT NULL,
	`tax` integer DEFAULT 0 NOT NULL,
	`total` integer NOT NULL,
	`settlement` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`created_by` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credit_notes_number_unique` ON `credit_notes` (`number`);--> statement-breakpoint
CREATE INDEX `credit_notes_invoice` ON `credit_notes` (`invoice_id`);--> statement-breakpoint
CREATE INDEX `credit_notes_customer` ON `credit_notes` (`customer_id`,`issue_date`);--> statement-breakpoint
CREATE TABLE `campaign_recipients` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`email` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`outbox_id` text,
	`sent_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_recipients_once` ON `campaign_recipients` (`campaign_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`audience` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`created_by` text,
	`created_at` text NOT NULL,
	`sent_at` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `email_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`to_address` text NOT NULL,
	`to_name` text DEFAULT '' NOT NULL,
	`subject` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`attach_invoice_id` text,
	`customer_id` text,
	`ref_type` text,
	`ref_id` text,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`last_error` text,
	`message_id` text,
	`device_id` text DEFAULT '' NOT NULL,
	`created_by` text,
	`created_at` text NOT NULL,
	`sent_at` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `email_outbox_due` ON `email_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `email_outbox_customer` ON `email_outbox` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `email_outbox_ref` ON `email_outbox` (`ref_type`,`ref_id`);--> statement-breakpoint
ALTER TABLE `business` ADD `address_line1` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `business` ADD `address_line2` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `business` ADD `city` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `business` ADD `region` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `business` ADD `postal_code` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `business` ADD `country` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `business` ADD `email` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `business` ADD `phone` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `business` ADD `tax_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `business` ADD `invoice_footer` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `business` ADD `logo` text;--> statement-breakpoint
ALTER TABLE `business` ADD `next_credit_note_number` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `products` ADD `low_stock_at` integer;--> statement-breakpoint
ALTER TABLE `customers` ADD `email_opt_out_at` text;--> statement-breakpoint
ALTER TABLE `pending_items` ADD `product_id` text;--> statement-breakpoint
ALTER TABLE `sales` ADD `discount` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sales` ADD `method` text DEFAULT 'cash' NOT NULL;--> statement-breakpoint
ALTER TABLE `sales` ADD `tendered` integer;--> statement-breakpoint
ALTER TABLE `sales` ADD `change_given` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sales` ADD `refunded` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sales` ADD `status` text DEFAULT 'paid' NOT NULL;--> statement-breakpoint
ALTER TABLE `sales` ADD `note` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `sale_lines` ADD `sku` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `sale_lines` ADD `discount` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sale_lines` ADD `tax` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sale_lines` ADD `refunded_quantity` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `reminders` ADD `step` integer;--> statement-breakpoint
ALTER TABLE `reminders` ADD `outbox_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `reminders_invoice_step` ON `reminders` (`invoice_id`,`step`);