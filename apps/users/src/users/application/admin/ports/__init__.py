"""Ports only the admin feature uses."""
