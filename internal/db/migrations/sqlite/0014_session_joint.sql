-- Session requests (internal/meetings): the groups a session is held
-- jointly with (the Datatracker's Session.joint_with_groups).
CREATE TABLE session_joint_with_group (
    session_id INTEGER NOT NULL REFERENCES session(id),
    group_id INTEGER NOT NULL REFERENCES grp(id),
    PRIMARY KEY (session_id, group_id)
);
CREATE INDEX session_joint_group ON session_joint_with_group(group_id);
