DROP INDEX `customer_tags_tag`;--> statement-breakpoint
CREATE INDEX `customer_tags_tag_nocase` ON `customer_tags` ("tag" collate nocase,`customer_id`);--> statement-breakpoint
DROP INDEX `customers_segment`;--> statement-breakpoint
CREATE INDEX `customers_segment` ON `customers` ("segment" collate nocase);