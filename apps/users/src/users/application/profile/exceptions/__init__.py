"""Errors the profile feature raises."""
