-- Diagnosing an exhausted pool from the database side (chapter 8). Each query is a marked region;
-- DiagnosisQueriesTest runs them against PostgreSQL while one session blocks another.

-- region by-state
-- How many connections the server has, in which state, against its limit.
SELECT state, count(*) AS connections,
       current_setting('max_connections')::int AS max_connections
FROM pg_stat_activity
WHERE backend_type = 'client backend'
GROUP BY state
ORDER BY connections DESC;
-- endregion by-state

-- region longest
-- Who is busy, for how long, and on what: the oldest transactions first.
SELECT pid, application_name, client_addr, state,
       wait_event_type, wait_event,
       now() - xact_start   AS in_transaction,
       now() - state_change AS in_this_state,
       left(query, 60)      AS query
FROM pg_stat_activity
WHERE backend_type = 'client backend' AND state <> 'idle'
ORDER BY xact_start NULLS LAST
LIMIT 20;
-- endregion longest

-- region blockers
-- Who waits for a lock, and who holds it.
SELECT waiting.pid               AS blocked_pid,
       left(waiting.query, 40)   AS blocked_query,
       blocker.pid               AS blocking_pid,
       blocker.state             AS blocking_state,
       now() - blocker.xact_start AS blocking_for,
       left(blocker.query, 40)   AS blocking_query
FROM pg_stat_activity AS waiting
CROSS JOIN LATERAL unnest(pg_blocking_pids(waiting.pid)) AS b(pid)
JOIN pg_stat_activity AS blocker ON blocker.pid = b.pid;
-- endregion blockers
