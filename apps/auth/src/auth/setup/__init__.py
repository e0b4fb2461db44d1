"""Composition root: settings, dependency providers, app factory, entry points."""
