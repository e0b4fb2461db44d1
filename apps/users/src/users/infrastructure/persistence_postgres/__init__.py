"""SQLAlchemy (async, asyncpg) persistence of the `users` schema."""
