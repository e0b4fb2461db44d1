"""Pure rules of the identity feature (no ports)."""
