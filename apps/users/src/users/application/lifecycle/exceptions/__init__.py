"""Errors the lifecycle feature raises."""
