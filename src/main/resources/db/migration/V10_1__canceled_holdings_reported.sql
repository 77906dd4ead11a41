-- A canceled holding stays after the heartbeat that reported it (reported_at set): it is how a later write of the
-- former holder is recognised (409 task-canceled) when the task was canceled while that agent held it. The row
-- of the task's current cancellation is the one whose canceled_at equals the task's completed_at (same transaction).
ALTER TABLE canceled_holdings ADD COLUMN reported_at timestamptz;
