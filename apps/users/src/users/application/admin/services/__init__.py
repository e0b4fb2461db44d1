"""Pure logic of the admin feature (no ports)."""
