"""Tests of the shared service plumbing."""
