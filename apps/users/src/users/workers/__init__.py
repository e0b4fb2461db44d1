"""Long-running workers of the users service (one PEX each)."""
