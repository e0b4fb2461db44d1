"""Ports only the identity feature uses."""
