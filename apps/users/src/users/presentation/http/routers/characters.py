"""Public: the caller's characters, under /api/v1/users/me/characters."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from users.application.character.dto.character import CheckOwnershipRequest, GetCharactersRequest
from users.application.character.queries.check_ownership import CheckCharacterOwnershipQuery
from users.application.character.queries.get_characters import GetCharactersQuery
from users.presentation.http.credentials import Caller
from users.presentation.http.schemas.character import CharacterResponse, OwnershipResponse
from users.presentation.http.schemas.errors import TOKEN_ERRORS, USER_NOT_FOUND, error_responses
from users.setup.dependencies import check_ownership_query, get_characters_query

router = APIRouter(prefix="/api/v1/users/me/characters", tags=["characters"])


@router.get(
    "",
    summary="My owned characters, newest first",
    response_model=list[CharacterResponse],
    description=GetCharactersQuery.__doc__,
    responses=error_responses(*TOKEN_ERRORS, USER_NOT_FOUND),
)
async def list_characters(
    caller: Caller, query: Annotated[GetCharactersQuery, Depends(get_characters_query)]
) -> list[CharacterResponse]:
    characters = await query.execute(GetCharactersRequest(caller.user_id))
    return [CharacterResponse.of(character) for character in characters]


@router.get(
    "/{code}/ownership",
    summary="Do I own this character?",
    response_model=OwnershipResponse,
    description=CheckCharacterOwnershipQuery.__doc__,
    responses=error_responses(
        *TOKEN_ERRORS,
        USER_NOT_FOUND,
        (422, "CHARACTER_CODE_INVALID", "The character code is not valid."),
    ),
)
async def character_ownership(
    caller: Caller,
    query: Annotated[CheckCharacterOwnershipQuery, Depends(check_ownership_query)],
    code: Annotated[str, Path(description="Character code, e.g. char-eco.", examples=["char-eco"])],
) -> OwnershipResponse:
    ownership = await query.execute(CheckOwnershipRequest(caller.user_id, code))
    return OwnershipResponse.of(ownership)
