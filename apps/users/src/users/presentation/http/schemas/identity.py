"""Internal identity API schemas."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from users.application.identity.dto.identity import IdentityResult
from users.presentation.http.schemas.text import BodyText

_EXAMPLE: dict[str, JsonValue] = {
    "user_id": "0192f0c8-5d2a-7c3e-9a41-2b7f0c1d9e88",
    "nickname": "지구지킴이",
    "display_name": "지구지킴이",
    "email": "eco@example.com",
    "phone_number": None,
    "profile_image_url": "https://img.example.com/p/1.png",
    "providers": ["kakao"],
    "created_at": "2026-01-02T05:20:00+00:00",
    "last_login_at": None,
    "created": True,
}


class IdentityBody(BaseModel):
    """An OAuth profile as the provider reported it. No text may hold control
    characters, lone surrogates or bidirectional controls (422 REQUEST_INVALID)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "provider": "kakao",
                    "provider_user_id": "3141592653",
                    "email": "eco@example.com",
                    "email_verified": True,
                    "nickname": "지구지킴이",
                    "profile_image_url": "https://img.example.com/p/1.png",
                }
            ]
        }
    )

    provider: BodyText = Field(
        description="google, kakao, naver, or a configured OIDC issuer name."
    )
    provider_user_id: BodyText
    email: BodyText | None = None
    email_verified: bool = Field(False, description="True only when the provider verified it.")
    nickname: BodyText | None = None
    profile_image_url: BodyText | None = None


class IdentityResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    user_id: UUID
    nickname: str
    display_name: str
    email: str | None
    phone_number: str | None
    profile_image_url: str | None
    providers: list[str]
    created_at: datetime
    last_login_at: datetime | None
    created: bool = Field(description="True for the one call that created the account.")

    @classmethod
    def of_result(cls, result: IdentityResult) -> IdentityResponse:
        user = result.user
        return cls(
            user_id=user.user_id,
            nickname=user.nickname,
            display_name=user.display_name,
            email=user.email,
            phone_number=user.phone_number,
            profile_image_url=user.profile_image_url,
            providers=list(user.linked_providers),
            created_at=user.created_at,
            last_login_at=user.last_login_at,
            created=result.created,
        )


class LoginBody(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"provider": "kakao"}]})

    provider: BodyText


class AccountRefusedBody(BaseModel):
    """403 of a sign-in to an account that is not active: the error and whose account
    (for auth's audit); for a pending deletion also until when (auth issues the restore
    ticket). ``purge_after`` is absent for ACCOUNT_DISABLED."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "ACCOUNT_PENDING_DELETION",
                    "detail": "The account is scheduled for deletion after "
                    "2026-12-31T00:00:00+00:00.",
                    "user_id": "0192f0c8-5d2a-7c3e-9a41-2b7f0c1d9e88",
                    "purge_after": "2026-12-31T00:00:00+00:00",
                }
            ]
        }
    )

    code: str
    detail: str
    user_id: UUID
    purge_after: datetime | None = None
