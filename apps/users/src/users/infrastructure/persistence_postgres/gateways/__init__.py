"""SQLAlchemy adapters of the application ports."""
