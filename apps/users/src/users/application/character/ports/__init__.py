"""Ports of the character feature."""
