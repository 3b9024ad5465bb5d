-- The delivery queue's unique key names the subscription rather than the
-- address: (post_id, subscription_id) where it was (post_id, address).
-- The two say the same, as a list has one subscription per address
-- (UNIQUE (list_id, address); a subscriber who comes back gets their row
-- again) and a subscription's address never changes, so a post still
-- goes once to each address, whoever expands it. But the expander
-- writes a post's copies in the order of subscription ids, so each new
-- key now lands at the end of the index, where an address landed
-- anywhere in the post's keys: a leaf page split or dirtied for nearly
-- every copy, and again when the fold writes the copy's row anew. In
-- listbench's fan-out, six runs of five rounds each, in turn with the
-- old key: median rounds 91-94% of the sink's ceiling against 86-91%
-- (issue 17 §2). SQLite's queue keeps (post_id, address): its table
-- would have to be built again to change it, and its fan-out is at the
-- sink's pace already. Building the key reads every copy ever queued.
ALTER TABLE delivery DROP CONSTRAINT delivery_post_id_address_key;
ALTER TABLE delivery ADD CONSTRAINT delivery_post_subscription UNIQUE (post_id, subscription_id);
