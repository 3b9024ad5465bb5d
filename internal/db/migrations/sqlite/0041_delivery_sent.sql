-- The marks of copies sent (lists.Deliverer, issue 17 §2), in the queue's
-- file beside delivery: the recorder appends each copy's id here, and the
-- rows are folded into delivery (state 'sent') in bulk, a few hundred at
-- a time. See the PostgreSQL migration of the same number.
CREATE TABLE queue.delivery_sent (
    delivery_id INTEGER NOT NULL,
    sent TIMESTAMP NOT NULL
);
