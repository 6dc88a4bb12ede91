-- Full-text search over customers: a trigram index (substring matches, case
-- and accent insensitive) kept in step with the customers table by triggers.
-- The phone is indexed as written and as digits only, so "555 1234" finds "(555) 123-4".
-- A second, word-level index gives the vocabulary of names for typo tolerance
-- ("Jhon" finds "John"): its words within one or two edits of the typed ones.
CREATE VIRTUAL TABLE `customers_fts` USING fts5(
	name, email, company, phone, notes,
	content='', contentless_delete=1, tokenize='trigram remove_diacritics 1'
);
--> statement-breakpoint
CREATE VIRTUAL TABLE `customers_words` USING fts5(
	name, company, email,
	content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE VIRTUAL TABLE `customers_words_vocab` USING fts5vocab(customers_words, 'row');
--> statement-breakpoint
CREATE TRIGGER `customers_fts_insert` AFTER INSERT ON `customers` BEGIN
	INSERT INTO customers_fts(rowid, name, email, company, phone, notes)
	VALUES (new.seq, new.name, new.email, new.company,
		new.phone || ' ' || replace(replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''), '/', ''),
		new.notes);
	INSERT INTO customers_words(rowid, name, company, email) VALUES (new.seq, new.name, new.company, new.email);
END;
--> statement-breakpoint
CREATE TRIGGER `customers_fts_delete` AFTER DELETE ON `customers` BEGIN
	DELETE FROM customers_fts WHERE rowid = old.seq;
	DELETE FROM customers_words WHERE rowid = old.seq;
END;
--> statement-breakpoint
CREATE TRIGGER `customers_fts_update` AFTER UPDATE OF name, email, company, phone, notes ON `customers` BEGIN
	DELETE FROM customers_fts WHERE rowid = old.seq;
	INSERT INTO customers_fts(rowid, name, email, company, phone, notes)
	VALUES (new.seq, new.name, new.email, new.company,
		new.phone || ' ' || replace(replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''), '/', ''),
		new.notes);
	DELETE FROM customers_words WHERE rowid = old.seq;
	INSERT INTO customers_words(rowid, name, company, email) VALUES (new.seq, new.name, new.company, new.email);
END;
