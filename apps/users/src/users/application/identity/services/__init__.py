"""Pure identity logic."""
