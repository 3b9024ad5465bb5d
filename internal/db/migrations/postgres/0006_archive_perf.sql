-- The archive at scale (issue 3's import and search figures).

-- Duplicates are found by hashcode (derived from the Message-ID), so the
-- Message-ID index only slowed every insert.
DROP INDEX arch_message_msgid;

-- Addresses are kept lower-cased, so the person page finds a person's
-- posts whatever case their mail program wrote.
UPDATE arch_message SET from_addr = lower(from_addr) WHERE from_addr <> lower(from_addr);
