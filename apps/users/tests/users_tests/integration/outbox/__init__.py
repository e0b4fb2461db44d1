"""The outbox relay against real PostgreSQL and Redis."""
