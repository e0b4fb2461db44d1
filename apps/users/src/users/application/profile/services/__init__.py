"""Pure profile logic."""
