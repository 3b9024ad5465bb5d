-- A search ranks the newest matches by date (archive.sqliteEngine), and
-- reads each match's date and list by its id. From the table, that is a
-- leaf page of its own for each match (a message fills most of a 16 KiB
-- page); from this index, a hundred matches are a few small pages
-- (issue 17 §3: 1,000,000 messages, 50 readers, 1,038 -> 1,351
-- searches/s). PostgreSQL keeps date and list beside the search vector.
CREATE INDEX arch_message_id_date ON arch_message(id, date, list);
