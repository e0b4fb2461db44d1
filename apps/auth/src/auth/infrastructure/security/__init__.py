"""Signing keys, JWKS and the PyJWT token issuer."""
