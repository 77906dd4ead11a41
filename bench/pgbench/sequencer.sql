-- The post-commit sequencer (EventSequencer): positions the committed events of the writers running beside it.
-- One client runs it in a loop; the service runs it once per burst of commits (coalesced), so this is its busiest case.
SELECT positioned, newest FROM events_assign_positions(1000);
\sleep 1 ms
