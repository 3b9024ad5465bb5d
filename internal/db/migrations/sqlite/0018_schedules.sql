-- Schedules the scheduler makes and the secretariat edits
-- (internal/meetings, internal/scheduler). A pinned assignment stays
-- where it is when the scheduler runs again from its schedule (the
-- Datatracker's SchedTimeSessAssignment.pinned); badness is what the
-- schedule cost when it was last scored (the Datatracker's
-- Schedule.badness), empty until it is.
ALTER TABLE assignment ADD COLUMN pinned BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE schedule ADD COLUMN badness BIGINT;

-- The responsible AD of each group at an imported meeting, as the
-- Datatracker's group list of the time names them (group.ad, a
-- Datatracker person id that hum need not hold): the ADs of a past
-- meeting are those of its day, not today's role holders, and the
-- scheduler charges sessions of one AD that overlap.
CREATE TABLE meeting_group_ad (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    group_id INTEGER NOT NULL REFERENCES grp(id),
    datatracker_person INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, group_id, datatracker_person)
);
