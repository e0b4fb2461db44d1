"""Access token verification with PyJWT against auth's public keys."""
