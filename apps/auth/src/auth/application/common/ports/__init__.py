"""Ports every feature may use."""
