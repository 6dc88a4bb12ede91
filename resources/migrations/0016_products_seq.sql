-- Hand-edited after drizzle-kit: products had no seq column to copy (its rowid is taken, in creation
-- order), and drizzle-kit quoted the expression index lower("sku") as a column name.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_products` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`sku` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`category` text DEFAULT '' NOT NULL,
	`price` integer NOT NULL,
	`currency` text NOT NULL,
	`stock` integer,
	`archived_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`low_stock_at` integer,
	CONSTRAINT "products_price" CHECK("__new_products"."price" >= 0)
);
--> statement-breakpoint
INSERT INTO `__new_products`("seq", "id", "sku", "name", "description", "category", "price", "currency", "stock", "archived_at", "created_at", "updated_at", "low_stock_at") SELECT rowid, "id", "sku", "name", "description", "category", "price", "currency", "stock", "archived_at", "created_at", "updated_at", "low_stock_at" FROM `products`;--> statement-breakpoint
DROP TABLE `products`;--> statement-breakpoint
ALTER TABLE `__new_products` RENAME TO `products`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `products_id_unique` ON `products` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `products_sku_unique` ON `products` (lower("sku"));--> statement-breakpoint
CREATE INDEX `products_category` ON `products` (`category`);