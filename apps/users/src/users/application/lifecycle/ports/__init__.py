"""Ports only the lifecycle feature uses."""
