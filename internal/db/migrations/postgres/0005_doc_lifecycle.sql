-- RFC 6174 §4.3 annotation tags on a draft. They qualify the WG or IESG
-- state without changing it; a draft holds any number of them.
CREATE TABLE doc_tag (
    doc_id BIGINT NOT NULL REFERENCES doc(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (doc_id, tag)
);
