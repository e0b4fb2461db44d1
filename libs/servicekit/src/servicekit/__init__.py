"""Runtime plumbing both services share: logging, request ids, metrics, error
translation, health/readiness, database and Redis clients, migrations, serving.

It may import frameworks (FastAPI, SQLAlchemy, redis, prometheus-client) and the
kernel; it never imports `auth` or `users`.
"""
