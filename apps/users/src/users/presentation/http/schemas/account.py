"""Account lifecycle and admin schemas."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from users.application.admin.dto.admin import AdminAccountResponse
from users.application.lifecycle.dto.lifecycle import RestoreAccountResponse


class RestoreResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"user_id": "0192f0c8-5d2a-7c3e-9a41-2b7f0c1d9e88", "restored": True}]
        }
    )

    user_id: UUID
    restored: bool = Field(description="False when the account was active already.")

    @classmethod
    def of(cls, result: RestoreAccountResponse) -> RestoreResponse:
        return cls(user_id=result.user_id, restored=result.restored)


class AdminAccountOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "user_id": "0192f0c8-5d2a-7c3e-9a41-2b7f0c1d9e88",
                    "status": "disabled",
                    "changed": True,
                }
            ]
        }
    )

    user_id: UUID
    status: str = Field(description="active, pending_deletion or disabled, after the call.")
    changed: bool = Field(description="False when the account already was so.")

    @classmethod
    def of(cls, result: AdminAccountResponse) -> AdminAccountOut:
        return cls(user_id=result.user_id, status=result.status.value, changed=result.changed)
