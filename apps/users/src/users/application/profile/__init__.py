"""Profile: read, update and delete one's own account (read + write)."""
