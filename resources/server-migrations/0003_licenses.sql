CREATE TABLE "license_signing_keys" (
	"business_id" text PRIMARY KEY NOT NULL,
	"public_key" text NOT NULL,
	"private_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "license_signing_keys" ADD CONSTRAINT "license_signing_keys_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "changes_license_key" ON "changes" USING btree (sha256(("fields"->>'license_key')::bytea)) WHERE table_name = 'subscriptions' and fields ? 'license_key';--> statement-breakpoint
CREATE INDEX "synced_rows_license_hash" ON "synced_rows" USING btree ((encode(sha256("unique_value"::bytea), 'hex') collate "C")) WHERE tbl = 'subscriptions' and data is not null;--> statement-breakpoint
CREATE INDEX "synced_rows_license_business_hash" ON "synced_rows" USING btree ("business_id",(encode(sha256("unique_value"::bytea), 'hex') collate "C")) WHERE tbl = 'subscriptions' and data is not null;