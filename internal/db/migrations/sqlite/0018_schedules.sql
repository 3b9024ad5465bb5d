-- Schedules the scheduler makes and the secretariat edits
-- (internal/meetings, internal/scheduler). A pinned assignment stays
-- where it is when the scheduler runs again from its schedule (the
-- Datatracker's SchedTimeSessAssignment.pinned); badness is what the
-- schedule cost when it was last scored (the Datatracker's
-- Schedule.badness), empty until it is.
ALTER TABLE assignment ADD COLUMN pinned BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE schedule ADD COLUMN badness BIGINT;
