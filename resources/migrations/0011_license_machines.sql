CREATE TABLE `license_machines` (
	`id` text PRIMARY KEY NOT NULL,
	`subscription_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`name` text,
	`activated_at` text NOT NULL,
	`deactivated_at` text,
	`last_seen_on` text,
	FOREIGN KEY (`subscription_id`) REFERENCES `subscriptions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `license_machines_fingerprint` ON `license_machines` (`subscription_id`,`fingerprint`);--> statement-breakpoint
ALTER TABLE `business` ADD `license_public_key` text;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `license_validated_on` text;