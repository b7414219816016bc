-- The host a sweep ran on, measured as it started (issue 20): the CPU
-- benchmark index its browser scored (Lighthouse's units) and the 1-minute
-- load average. A busy or slow host inflates timings; show and the report
-- say so. NULL in runs stored before, and where they could not be read.
ALTER TABLE runs ADD COLUMN benchmark_index REAL;
ALTER TABLE runs ADD COLUMN load_avg REAL;
