"""One configured public key (PEM): tests, or a deployment that pins auth's key."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from jwt import PyJWK
from jwt.algorithms import ECAlgorithm, OKPAlgorithm

from users.infrastructure.token.key_source import KeySource


class StaticKeySource(KeySource):
    """Every ``kid`` resolves to the one key (so tokens from any key id are checked
    against it, and fail unless it signed them)."""

    def __init__(self, pem: str) -> None:
        public_key = load_pem_public_key(pem.encode())
        if isinstance(public_key, Ed25519PublicKey):
            jwk = OKPAlgorithm.to_jwk(public_key, as_dict=True)
            jwk["alg"] = "EdDSA"
        elif isinstance(public_key, EllipticCurvePublicKey) and isinstance(
            public_key.curve, SECP256R1
        ):
            jwk = ECAlgorithm.to_jwk(public_key, as_dict=True)
            jwk["alg"] = "ES256"
        else:
            raise ValueError("the access token public key must be Ed25519 or P-256 (PEM)")
        self._key = PyJWK(jwk)

    async def key_for(self, kid: str | None) -> PyJWK | None:
        return self._key
