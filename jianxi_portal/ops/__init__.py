"""Operations: what a provincial operations team watches and how the portal is served —
health probes (`/healthz/`, `/readyz/`), one JSON log line per request and per task, Prometheus
metrics, the worker's and beat's heartbeats, and the read-replica database router.
Described in README (Serving, health, logs and metrics)."""
