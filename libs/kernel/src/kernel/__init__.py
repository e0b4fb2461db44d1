"""Eco² shared kernel: entity and value-object bases, the error hierarchy, clock and ids.

Standard library only; both services depend on it, it depends on neither.
"""
