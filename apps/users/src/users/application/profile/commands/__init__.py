"""Profile writes: update (deletion is the lifecycle feature's)."""
