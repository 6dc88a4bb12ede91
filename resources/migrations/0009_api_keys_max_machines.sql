CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`scope` text NOT NULL,
	`key_hash` text NOT NULL,
	`key_prefix` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text,
	`revoked_at` text,
	`last_used_on` text,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "api_keys_scope" CHECK("api_keys"."scope" in ('read','write'))
);
--> statement-breakpoint
CREATE INDEX `api_keys_created` ON `api_keys` (`created_at`);--> statement-breakpoint
ALTER TABLE `plans` ADD `max_machines` integer;