"""Audit writes beyond recording: the erasure at purge."""
