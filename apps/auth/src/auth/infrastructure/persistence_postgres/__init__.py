"""SQLAlchemy (async, asyncpg) persistence of the `auth` schema."""
