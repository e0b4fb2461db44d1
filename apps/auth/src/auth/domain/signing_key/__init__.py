"""Signing-key rotation: each key's state (next, current, retired) and the rules that move it."""
