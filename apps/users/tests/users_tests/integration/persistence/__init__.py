"""SQLAlchemy adapters against real PostgreSQL."""
