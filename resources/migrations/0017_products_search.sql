-- Full-text search over products: SKU, name and category, word prefixes, case and accent
-- insensitive, keyed by the stable products.seq and kept in step by triggers, so every
-- writer (a handler, an import, a sync merge, the sqlite3 shell) updates it in its own
-- transaction. Products already in the file (an older backup being restored) are indexed here.
-- prefix='2 3': short prefixes ("sk", "gre") read one list instead of merging every word they start.
CREATE VIRTUAL TABLE `products_fts` USING fts5(
	sku, name, category,
	content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
--> statement-breakpoint
INSERT INTO products_fts(rowid, sku, name, category) SELECT seq, sku, name, category FROM products;
--> statement-breakpoint
CREATE TRIGGER `products_fts_insert` AFTER INSERT ON `products` BEGIN
	INSERT INTO products_fts(rowid, sku, name, category) VALUES (new.seq, new.sku, new.name, new.category);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_delete` AFTER DELETE ON `products` BEGIN
	DELETE FROM products_fts WHERE rowid = old.seq;
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_update` AFTER UPDATE OF seq, sku, name, category ON `products` BEGIN
	DELETE FROM products_fts WHERE rowid = old.seq;
	INSERT INTO products_fts(rowid, sku, name, category) VALUES (new.seq, new.sku, new.name, new.category);
END;
