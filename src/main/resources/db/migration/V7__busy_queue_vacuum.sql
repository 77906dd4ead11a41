-- A claim walks the todo index (tasks_claim) from its front, and every claim leaves a dead entry there until VACUUM
-- removes it. With the default threshold (20% of the table changed) a queue of 100,000 tasks collects 20,000 of
-- them before autovacuum runs, and each claim then steps over all of them (measured: 0.65 ms per claim with 25,000
-- dead entries, against 0.05 ms after a VACUUM). Vacuum the tasks table after 1% of it changed instead.
ALTER TABLE tasks SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 500,
                       autovacuum_analyze_scale_factor = 0.02);
