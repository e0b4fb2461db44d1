"""Integration and API tests against real PostgreSQL and Redis."""
