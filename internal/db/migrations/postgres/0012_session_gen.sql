-- A person's session generation: a web session carries the generation it
-- was started in and ends when the person's moves on (a new password, a
-- reset, "log out everywhere").
ALTER TABLE person ADD COLUMN session_gen INTEGER NOT NULL DEFAULT 0;
