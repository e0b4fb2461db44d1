"""Errors the identity feature raises."""
