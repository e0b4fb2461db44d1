"""Ports only the profile feature uses."""
