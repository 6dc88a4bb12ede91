CREATE TABLE "api_idempotency" (
	"business_id" text NOT NULL,
	"key_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer NOT NULL,
	"body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_idempotency_business_id_key_id_idempotency_key_pk" PRIMARY KEY("business_id","key_id","idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "api_usage" (
	"business_id" text NOT NULL,
	"day" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "api_usage_business_id_day_pk" PRIMARY KEY("business_id","day")
);
--> statement-breakpoint
ALTER TABLE "api_idempotency" ADD CONSTRAINT "api_idempotency_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_usage" ADD CONSTRAINT "api_usage_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_idempotency_created" ON "api_idempotency" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "changes_api_key" ON "changes" USING btree (("fields"->>'key_hash')) WHERE table_name = 'api_keys';--> statement-breakpoint
CREATE INDEX "synced_rows_api_key" ON "synced_rows" USING btree (("data"->>'key_hash')) WHERE tbl = 'api_keys';