-- group/groupevent and group/changestategroupevent list a group's events
-- newest first, the id breaking ties (-time, id, as the Datatracker
-- orders them). event_subject_at (0035) holds the times but not that
-- order, so each page read all of the group's events after the cursor
-- and sorted them: a page of 1,000 out of 100,000 events took 44 ms on
-- SQLite, and 3 ms read through this index (the filter on the group an
-- equality, opendata.Field.Unique, and the cursor's time a range).
-- Partial: only group events are listed so.
CREATE INDEX event_group_at ON event(subject, at DESC, id) WHERE subject_type = 'group';
