"""The outbox relay: PostgreSQL outbox rows to a Redis Stream, at least once."""
