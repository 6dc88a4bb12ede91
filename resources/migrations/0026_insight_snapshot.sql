CREATE TABLE `insight_snapshot` (
	`key` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`state` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `insight_timelines` (
	`bucket` integer PRIMARY KEY NOT NULL,
	`ids` text NOT NULL,
	`data` blob NOT NULL
);
