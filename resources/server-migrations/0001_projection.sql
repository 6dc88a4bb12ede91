CREATE TABLE "projection_cursors" (
	"business_id" text PRIMARY KEY NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"max_hlc" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "synced_rows" (
	"business_id" text NOT NULL,
	"tbl" text NOT NULL,
	"row_id" text NOT NULL,
	"data" jsonb,
	"stamps" jsonb NOT NULL,
	"latest" jsonb NOT NULL,
	"created_hlc" text DEFAULT '' NOT NULL,
	"recreated_hlc" text DEFAULT '' NOT NULL,
	"deleted_hlc" text DEFAULT '' NOT NULL,
	"delete_base" jsonb,
	"unique_value" text,
	"refs" text[] NOT NULL,
	CONSTRAINT "synced_rows_business_id_tbl_row_id_pk" PRIMARY KEY("business_id","tbl","row_id")
);
--> statement-breakpoint
ALTER TABLE "projection_cursors" ADD CONSTRAINT "projection_cursors_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "synced_rows" ADD CONSTRAINT "synced_rows_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "synced_rows_unique" ON "synced_rows" USING btree ("business_id","tbl","unique_value") WHERE unique_value is not null;--> statement-breakpoint
CREATE INDEX "synced_rows_suffixed" ON "synced_rows" USING btree ("business_id","tbl") WHERE strpos(unique_value, '~') > 0;--> statement-breakpoint
CREATE INDEX "synced_rows_license" ON "synced_rows" USING btree ("unique_value") WHERE tbl = 'subscriptions' and data is not null;--> statement-breakpoint
CREATE INDEX "synced_rows_refs" ON "synced_rows" USING gin ("refs") WITH (fastupdate=false);