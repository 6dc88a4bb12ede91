DROP INDEX `metric_open_spans_settled`;--> statement-breakpoint
CREATE INDEX `metric_open_spans_failed` ON `metric_open_spans` (`settled_on`,`issue_date`,`failed_on`) WHERE failed_on IS NOT NULL;--> statement-breakpoint
CREATE INDEX `metric_open_spans_aging` ON `metric_open_spans` (`settled_on`,`issue_date`,`due_date`,`owed`,`paid`,`paid_through`,`invoice_id`);