"""Signing keys, JWKS and the Ed25519 token issuer (compact JWS on `cryptography`)."""
