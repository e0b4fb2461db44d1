"""Recording admin actions."""
