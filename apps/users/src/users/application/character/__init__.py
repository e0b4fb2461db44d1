"""Characters: read-only (no commands/): owned characters and ownership checks."""
