CREATE TABLE `sync_changes` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`tbl` text NOT NULL,
	`row_id` text NOT NULL,
	`op` text NOT NULL,
	`fields` text NOT NULL,
	`pushed` integer DEFAULT 0 NOT NULL,
	`remote` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_changes_id_unique` ON `sync_changes` (`id`);--> statement-breakpoint
CREATE INDEX `sync_changes_row` ON `sync_changes` (`tbl`,`row_id`);--> statement-breakpoint
CREATE TABLE `sync_clock` (
	`one` integer PRIMARY KEY NOT NULL,
	`capture` integer DEFAULT 0 NOT NULL,
	`applying` integer DEFAULT 0 NOT NULL,
	`device_id` text DEFAULT '' NOT NULL,
	`hlc_ms` integer DEFAULT 0 NOT NULL,
	`hlc_counter` integer DEFAULT 0 NOT NULL,
	`offset_ms` integer DEFAULT 0 NOT NULL,
	`unpushed_from` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`field` text NOT NULL,
	`kept` text,
	`overwritten` text,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sync_conflicts_at` ON `sync_conflicts` (`at`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`one` integer PRIMARY KEY NOT NULL,
	`server` text,
	`device_id` text,
	`device_name` text,
	`cursor` integer DEFAULT 0 NOT NULL,
	`last_sync_at` text,
	`billing_device_id` text,
	`billing_device_name` text
);
