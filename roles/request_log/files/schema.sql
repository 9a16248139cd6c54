-- Managed by the request_log role. Applied with sqlite3 on every converge: IF NOT EXISTS
-- makes it a no-op on a database that already has it.
CREATE TABLE IF NOT EXISTS request_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  timestamp TEXT NOT NULL,
  agent_name TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  tokens_in INTEGER,
  tokens_out INTEGER,
  latency_ms INTEGER,
  status TEXT NOT NULL CHECK (status IN ('success', 'error', 'timeout', 'fallback', 'pending', 'rollback')),
  error_message TEXT
);
CREATE INDEX IF NOT EXISTS request_log_agent_provider_time ON request_log (agent_name, provider, timestamp);
CREATE INDEX IF NOT EXISTS request_log_time ON request_log (timestamp);
