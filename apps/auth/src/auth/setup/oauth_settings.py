"""OAuth settings: providers, allow-lists, frontend URLs, the users API (env `AUTH_OAUTH__…`).

Every provider endpoint is configuration whose default is the real one, so a
test or a staging setup can point a provider at another server. A provider
without both a client id and a client secret is "not configured".
"""

from __future__ import annotations

import ipaddress
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

BUILT_IN_PROVIDERS = ("google", "kakao", "naver")


class _ProviderClient(BaseModel):
    model_config = ConfigDict(frozen=True)

    client_id: str = ""
    client_secret: SecretStr = SecretStr("")

    @property
    def configured(self) -> bool:
        return bool(self.client_id and self.client_secret.get_secret_value())


class StaticOidcClient(_ProviderClient):
    """An OpenID Connect provider whose endpoints are configured, not discovered."""

    scopes: str
    issuer: str
    authorization_url: str
    token_url: str
    userinfo_url: str
    jwks_url: str


class GoogleSettings(StaticOidcClient):
    """Google (OpenID Connect; PKCE, nonce)."""

    scopes: str = "openid email profile"
    issuer: str = "https://accounts.google.com"
    authorization_url: str = "https://accounts.google.com/o/oauth2/v2/auth"
    token_url: str = "https://oauth2.googleapis.com/token"
    userinfo_url: str = "https://openidconnect.googleapis.com/v1/userinfo"
    jwks_url: str = "https://www.googleapis.com/oauth2/v3/certs"


class KakaoSettings(StaticOidcClient):
    """Kakao Login with OpenID Connect enabled (`openid` scope; PKCE, nonce)."""

    scopes: str = "openid profile_nickname profile_image account_email"
    issuer: str = "https://kauth.kakao.com"
    authorization_url: str = "https://kauth.kakao.com/oauth/authorize"
    token_url: str = "https://kauth.kakao.com/oauth/token"
    userinfo_url: str = "https://kapi.kakao.com/v2/user/me"
    jwks_url: str = "https://kauth.kakao.com/.well-known/jwks.json"


class NaverSettings(_ProviderClient):
    """Naver Login (plain OAuth 2.0: state only)."""

    authorization_url: str = "https://nid.naver.com/oauth2.0/authorize"
    token_url: str = "https://nid.naver.com/oauth2.0/token"
    profile_url: str = "https://openapi.naver.com/v1/nid/me"


class OidcProviderSettings(_ProviderClient):
    """Any OpenID Connect issuer, by discovery (`{issuer}/.well-known/openid-configuration`)."""

    issuer: str
    scopes: str = "openid email profile"
    pkce: bool = True
    token_auth_method: Literal["client_secret_basic", "client_secret_post"] = (
        "client_secret_basic"  # - a method name
    )


class UsersApiSettings(BaseModel):
    """The users service internal API (`AUTH_OAUTH__USERS__…`)."""

    model_config = ConfigDict(frozen=True)

    url: str = "http://127.0.0.1:8002"
    token: SecretStr = Field(
        SecretStr(""), description="Service credential sent as X-Service-Token."
    )
    timeout_seconds: float = Field(2.0, gt=0)
    max_attempts: int = Field(3, ge=1, le=10)
    backoff_seconds: float = Field(0.1, ge=0)
    breaker_failures: int = Field(5, ge=1)
    breaker_probe_seconds: float = Field(
        0.5, gt=0, le=1, description="While open, one probe call goes this often."
    )
    max_connections: int = Field(100, ge=1)


# What sign-in buttons call each provider (`GET /api/v1/auth/providers`), unless
# `AUTH_OAUTH__DISPLAY_NAMES` says otherwise; any other provider shows its name.
DEFAULT_DISPLAY_NAMES = {
    "google": "Google",
    "kakao": "Kakao",
    "naver": "Naver",
    "apple": "Apple",
    "dev": "Dev (local)",
}


class OAuthSettings(BaseModel):
    """Provider clients and endpoints, redirect allow-lists, frontend URLs, users API."""

    model_config = ConfigDict(frozen=True)

    google: GoogleSettings = Field(default_factory=GoogleSettings)
    kakao: KakaoSettings = Field(default_factory=KakaoSettings)
    naver: NaverSettings = Field(default_factory=NaverSettings)
    oidc: dict[str, OidcProviderSettings] = Field(
        default_factory=dict, description="Extra OpenID Connect providers by name."
    )
    callback_base_url: str = Field(
        "http://127.0.0.1:8001",
        description="Public base URL of auth; the default redirect URI is "
        "{callback_base_url}/api/v1/auth/{provider}/callback.",
    )
    allowed_redirect_uris: list[str] = Field(default_factory=list)
    frontend_origin: str = Field("http://localhost:3000", description="Default frontend origin.")
    allowed_frontend_origins: list[str] = Field(default_factory=list)
    frontend_success_path: str = "/login/success"
    frontend_error_path: str = "/login/error"
    state_ttl_seconds: int = Field(600, ge=60, le=3600)
    provider_timeout_seconds: float = Field(5.0, gt=0)
    metadata_cache_seconds: int = Field(3600, ge=0, description="Discovery and JWKS cache.")
    display_names: dict[str, str] = Field(
        default_factory=dict,
        description="Provider name -> label on sign-in buttons, over DEFAULT_DISPLAY_NAMES.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="CIDRs whose X-Forwarded-For entries are believed (right to left).",
    )
    users: UsersApiSettings = Field(default_factory=UsersApiSettings)

    @field_validator("oidc")
    @classmethod
    def _no_shadowing(
        cls, value: dict[str, OidcProviderSettings]
    ) -> dict[str, OidcProviderSettings]:
        for name in value:
            if name in BUILT_IN_PROVIDERS or not name.isidentifier():
                raise ValueError(f"OIDC provider name {name!r} is reserved or not a plain name")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _cidrs(cls, value: list[str]) -> list[str]:
        for cidr in value:
            ipaddress.ip_network(cidr, strict=False)
        return value

    @model_validator(mode="after")
    def _paths(self) -> OAuthSettings:
        for path in (self.frontend_success_path, self.frontend_error_path):
            if not path.startswith("/"):
                raise ValueError("frontend paths start with '/'")
        return self

    def provider_labels(self) -> dict[str, str]:
        """Provider name -> label on sign-in buttons: `display_names` over the defaults."""
        return {**DEFAULT_DISPLAY_NAMES, **self.display_names}
