"""Admin reads: the login audit."""
