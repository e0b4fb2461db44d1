"""Profile schemas."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from users.application.common.dto.user_profile import UserProfile
from users.presentation.http.schemas.text import BodyText


class ProfileResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "user_id": "0192f0c8-5d2a-7c3e-9a41-2b7f0c1d9e88",
                    "display_name": "지구지킴이",
                    "nickname": "지구지킴이",
                    "email": "eco@example.com",
                    "phone_number": "010-1234-5678",
                    "profile_image_url": "https://img.example.com/p/1.png",
                    "provider": "kakao",
                    "linked_providers": ["kakao", "google"],
                    "last_login_at": "2026-11-23T09:00:00+00:00",
                    "created_at": "2026-01-02T05:20:00+00:00",
                }
            ]
        }
    )

    user_id: UUID
    display_name: str
    nickname: str
    email: str | None
    phone_number: str | None = Field(description="Always 010-XXXX-XXXX.")
    profile_image_url: str | None
    provider: str = Field(description="Provider of the current login (the token's claim).")
    linked_providers: list[str]
    last_login_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, profile: UserProfile) -> ProfileResponse:
        """Built without validation: the profile's fields already have these types."""
        return cls.model_construct(
            user_id=profile.user_id,
            display_name=profile.display_name,
            nickname=profile.nickname,
            email=profile.email,
            phone_number=profile.phone_number,
            profile_image_url=profile.profile_image_url,
            provider=profile.provider,
            linked_providers=list(profile.linked_providers),
            last_login_at=profile.last_login_at,
            created_at=profile.created_at,
        )


class UpdateProfileBody(BaseModel):
    """Give at least one field; an omitted or null field is left unchanged."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"nickname": "지구지킴이", "phone_number": "01012345678"}]},
    )

    nickname: BodyText | None = Field(None, description="1 to 20 characters after trimming.")
    phone_number: BodyText | None = Field(
        None, description="Korean mobile number in any common spelling; stored as 010-XXXX-XXXX."
    )
