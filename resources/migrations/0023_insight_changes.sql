CREATE TABLE `insight_changes` (
	`customer_id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `insight_changes_seq` ON `insight_changes` (`seq`);