"""Admin writes: force logout."""
