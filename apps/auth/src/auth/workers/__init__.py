"""Long-running workers of the auth service (own PEX each)."""
