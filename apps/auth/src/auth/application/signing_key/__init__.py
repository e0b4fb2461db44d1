"""Signing-key rotation: add a key, promote it to signing, stop publishing retired keys."""
