DROP SCHEMA IF EXISTS locked, col, tbl CASCADE;
CREATE SCHEMA locked; CREATE SCHEMA col; CREATE SCHEMA tbl;
CREATE TABLE locked.events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, type text NOT NULL, at timestamptz NOT NULL DEFAULT now(),
  actor text, task_id bigint, agent text, data jsonb NOT NULL DEFAULT '{}', audience text[] NOT NULL DEFAULT '{}');
CREATE INDEX ON locked.events (task_id, id) WHERE task_id IS NOT NULL;
CREATE INDEX ON locked.events (agent, id) WHERE agent IS NOT NULL;
CREATE INDEX ON locked.events (at);
CREATE INDEX ON locked.events USING gin (audience);
CREATE TABLE col.events (LIKE locked.events INCLUDING ALL, position bigint);
CREATE UNIQUE INDEX ON col.events (position);
CREATE INDEX col_unpositioned ON col.events (id) WHERE position IS NULL;
CREATE TABLE col.seq (last bigint NOT NULL); INSERT INTO col.seq VALUES (0);
CREATE TABLE tbl.events (LIKE locked.events INCLUDING ALL);
CREATE TABLE tbl.queue (id bigint PRIMARY KEY);
CREATE TABLE tbl.positions (position bigint PRIMARY KEY, event_id bigint NOT NULL UNIQUE);
CREATE TABLE tbl.seq (last bigint NOT NULL); INSERT INTO tbl.seq VALUES (0);
