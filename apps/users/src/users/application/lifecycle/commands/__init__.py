"""Lifecycle writes: request deletion, restore, purge."""
