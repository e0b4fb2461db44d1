"""Linked social accounts: the owner's list, and the internal link and unlink answers."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from users.application.identity.dto.identity import SocialAccountView


class SocialAccountOut(BaseModel):
    provider: str
    email: str | None = Field(description="As the provider reported it.")
    email_verified: bool = Field(description="True only when the provider verified it.")
    linked_at: datetime
    last_login_at: datetime | None

    @classmethod
    def of(cls, view: SocialAccountView) -> SocialAccountOut:
        return cls(
            provider=view.provider,
            email=view.email,
            email_verified=view.email_verified,
            linked_at=view.linked_at,
            last_login_at=view.last_login_at,
        )


class SocialAccountsResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "social_accounts": [
                        {
                            "provider": "kakao",
                            "email": "eco@example.com",
                            "email_verified": True,
                            "linked_at": "2026-01-02T05:20:00+00:00",
                            "last_login_at": "2026-11-23T09:00:00+00:00",
                        }
                    ]
                }
            ]
        }
    )

    social_accounts: list[SocialAccountOut] = Field(description="Oldest link first.")


class LinkResponse(BaseModel):
    user_id: UUID
    provider: str
    linked: bool = Field(description="False when the identity was already this user's.")


class IdentityOwnerResponse(BaseModel):
    user_id: UUID


class EndedLinkResponse(BaseModel):
    user_id: UUID
    user_deleted: bool = Field(
        description="True when it was the account's last login method: the account was "
        "deleted as by DELETE /api/v1/users/me."
    )
