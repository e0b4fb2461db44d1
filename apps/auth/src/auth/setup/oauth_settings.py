"""OAuth settings: providers, allow-lists, frontend URLs, the users API (env `AUTH_OAUTH__…`).

Every provider endpoint is configuration whose default is the real one, so a
test or a staging setup can point a provider at another server. A provider
without both a client id and a client secret (Apple: client id, team id, key id and
private key) is "not configured".
"""

from __future__ import annotations

import ipaddress
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

BUILT_IN_PROVIDERS = ("google", "kakao", "naver", "apple")
DEV_PROVIDER = "dev"


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
    revocation_url: str = Field(
        "https://oauth2.googleapis.com/revoke",
        description="Where an account's refresh token is revoked when the account is deleted.",
    )


class KakaoSettings(StaticOidcClient):
    """Kakao Login with OpenID Connect enabled (`openid` scope; PKCE, nonce). Its unlink
    webhook is accepted when ``admin_key`` and ``app_id`` are both set."""

    scopes: str = "openid profile_nickname profile_image account_email"
    issuer: str = "https://kauth.kakao.com"
    authorization_url: str = "https://kauth.kakao.com/oauth/authorize"
    token_url: str = "https://kauth.kakao.com/oauth/token"
    userinfo_url: str = "https://kapi.kakao.com/v2/user/me"
    jwks_url: str = "https://kauth.kakao.com/.well-known/jwks.json"
    admin_key: SecretStr = Field(
        SecretStr(""),
        description="The app's primary admin key (`Authorization: KakaoAK …`): unlinks a"
        " deleted account's Kakao user without a user token (unset: Kakao links are skipped),"
        " and Kakao's unlink webhook sends it.",
    )
    unlink_url: str = "https://kapi.kakao.com/v1/user/unlink"
    app_id: str = Field("", description="The app's id, which the unlink webhook names.")

    @property
    def accepts_unlink_notices(self) -> bool:
        return bool(self.admin_key.get_secret_value() and self.app_id)


class UnlinkNoticeSettings(BaseModel):
    """Providers' unlink notices (`AUTH_OAUTH__UNLINK_NOTICES__…`)."""

    model_config = ConfigDict(frozen=True)

    max_age_seconds: int = Field(
        300,
        ge=10,
        le=3600,
        description="A signed notice (Naver) whose timestamp is further than this from "
        "now, either side, is refused as stale; its replay is refused for twice as long.",
    )
    deadline_seconds: float = Field(
        2.5,
        gt=0,
        le=30,
        description="Time to apply a notice before answering 503 (Kakao waits 3 s).",
    )


class NaverSettings(_ProviderClient):
    """Naver Login through its OpenID Connect endpoints (discovery; PKCE, nonce, a verified
    id_token), or, with ``flow="legacy"``, its older plain OAuth 2.0 endpoints (state only).
    """

    flow: Literal["oidc", "legacy"] = Field(
        "oidc", description="oidc: discovery from `issuer`; legacy: the three URLs below."
    )
    issuer: str = Field(
        "https://nid.naver.com",
        description="OIDC: discovery at {issuer}/.well-known/openid-configuration.",
    )
    scopes: str = "openid profile"
    authorization_url: str = Field(
        "https://nid.naver.com/oauth2.0/authorize", description="Legacy flow only."
    )
    token_url: str = Field("https://nid.naver.com/oauth2.0/token", description="Legacy flow only.")
    profile_url: str = Field("https://openapi.naver.com/v1/nid/me", description="Legacy flow only.")
    unlink_token_url: str = Field(
        "https://nid.naver.com/oauth2.0/token",
        description="Where a deleted account's token is deleted (`grant_type=delete`, after a"
        " `grant_type=refresh_token` for its access token), whatever the login flow.",
    )


class AppleSettings(BaseModel):
    """Sign in with Apple. No static client secret: each token request carries an ES256 JWT
    signed with the team's key (``key_id``, ``private_key``), valid ``client_secret_ttl_seconds``.
    Configured when ``client_id`` (the Services ID), ``team_id``, ``key_id`` and
    ``private_key`` are all set."""

    model_config = ConfigDict(frozen=True)

    client_id: str = ""
    team_id: str = ""
    key_id: str = ""
    private_key: SecretStr = Field(
        SecretStr(""), description="The Sign in with Apple key (.p8): a P-256 key in PEM."
    )
    scopes: str = "name email"
    pkce: bool = Field(False, description="Apple's REST API documents no PKCE.")
    client_secret_ttl_seconds: int = Field(300, ge=60, le=15_777_000)
    issuer: str = Field(
        "https://appleid.apple.com",
        description="The id_token `iss`, and the `aud` of the client secret.",
    )
    authorization_url: str = "https://appleid.apple.com/auth/authorize"
    token_url: str = "https://appleid.apple.com/auth/token"
    jwks_url: str = "https://appleid.apple.com/auth/keys"
    revocation_url: str = Field(
        "https://appleid.apple.com/auth/revoke",
        description="Where an account's refresh token is revoked when the account is deleted.",
    )

    @property
    def configured(self) -> bool:
        return bool(
            self.client_id and self.team_id and self.key_id and self.private_key.get_secret_value()
        )


class OidcProviderSettings(_ProviderClient):
    """Any OpenID Connect issuer, by discovery (`{issuer}/.well-known/openid-configuration`)."""

    issuer: str
    scopes: str = "openid email profile"
    pkce: bool = True
    token_auth_method: Literal["client_secret_basic", "client_secret_post"] = (
        "client_secret_basic"  # - a method name
    )


class DevProviderSettings(BaseModel):
    """Provider `dev`: the local OpenID Connect provider `scripts/run` starts
    (`deploy/local/oidc_provider.mjs`, whose defaults these are), which signs in anyone
    under any name. A generic OIDC client like any other (discovery, PKCE S256, nonce,
    id_token verified against its JWKS).

    `enabled` unset means: on in the `local` profile, off in every other; the service
    refuses to start with it on outside the `local`/`test` profiles.
    """

    model_config = ConfigDict(frozen=True)

    enabled: bool | None = None
    issuer: str = "http://127.0.0.1:9400"
    client_id: str = "eco2-local"
    client_secret: SecretStr = SecretStr("eco2-local-secret")


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
    apple: AppleSettings = Field(default_factory=AppleSettings)
    oidc: dict[str, OidcProviderSettings] = Field(
        default_factory=dict, description="Extra OpenID Connect providers by name."
    )
    dev: DevProviderSettings = Field(default_factory=DevProviderSettings)
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
    link_recent_sign_in_seconds: int = Field(
        600,
        ge=60,
        le=86_400,
        description="Linking a provider needs a session that signed in this recently.",
    )
    frontend_link_path: str = Field(
        "/account",
        description="Where a link callback sends the browser: ?linked=<provider> or ?error=<code>.",
    )
    unlink_notices: UnlinkNoticeSettings = Field(default_factory=UnlinkNoticeSettings)
    users: UsersApiSettings = Field(default_factory=UsersApiSettings)

    @field_validator("oidc")
    @classmethod
    def _no_shadowing(
        cls, value: dict[str, OidcProviderSettings]
    ) -> dict[str, OidcProviderSettings]:
        for name in value:
            if name in (*BUILT_IN_PROVIDERS, DEV_PROVIDER) or not name.isidentifier():
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
        for path in (self.frontend_success_path, self.frontend_error_path, self.frontend_link_path):
            if not path.startswith("/"):
                raise ValueError("frontend paths start with '/'")
        return self

    def provider_labels(self) -> dict[str, str]:
        """Provider name -> label on sign-in buttons: `display_names` over the defaults."""
        return {**DEFAULT_DISPLAY_NAMES, **self.display_names}
