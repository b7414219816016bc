-- Placeholder for 0009, which another branch (evidence blobs) adds:
-- migrations are numbered without gaps. Drop this file when merging.
SELECT 1;
