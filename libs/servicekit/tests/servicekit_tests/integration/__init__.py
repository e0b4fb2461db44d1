"""Against real PostgreSQL and Redis."""
