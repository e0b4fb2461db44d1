"""The character every new account gets (env `USERS_DEFAULT_CHARACTER__…`)."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class DefaultCharacterSettings(BaseModel):
    """Granted in the transaction that creates the account."""

    model_config = ConfigDict(frozen=True)

    id: UUID = UUID("0192f0c8-0000-7000-8000-00000000ec02")
    code: str = Field("char-eco", min_length=1, max_length=64)
    name: str = Field("이코", min_length=1, max_length=100)
    type: str | None = Field("기본", max_length=64)
    dialog: str | None = "안녕! 나는 이코야. 오늘도 분리배출 같이 해 보자!"
    source: str = Field("default", min_length=1, max_length=64)
