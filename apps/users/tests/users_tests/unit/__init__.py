"""Unit tests: domain and use cases with in-memory fakes; no I/O."""
