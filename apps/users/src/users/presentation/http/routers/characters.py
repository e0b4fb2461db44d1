"""Public: the caller's characters, under /api/v1/users/me/characters."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from starlette.routing import Route

from users.application.character.dto.character import CheckOwnershipRequest, GetCharactersRequest
from users.application.character.queries.check_ownership import CheckCharacterOwnershipQuery
from users.application.character.queries.get_characters import GetCharactersQuery
from users.presentation.http.credentials import ACCESS_TOKEN_SECURITY, authenticate
from users.presentation.http.schemas.character import (
    CharacterList,
    CharacterResponse,
    OwnershipResponse,
)
from users.presentation.http.schemas.errors import TOKEN_ERRORS, USER_NOT_FOUND, error_responses
from users.presentation.http.schemas.json_response import json_response
from users.setup.dependencies import characters_query, ownership_query, read_connection

router = APIRouter(prefix="/api/v1/users/me/characters", tags=["characters"])
# Hot reads, served by `routes` below (plain Starlette routes matched first); these
# declarations document them. No FastAPI dependencies and no response-model pass: the
# token is checked by `authenticate`, the same check as the `Caller` dependency.


@router.get(
    "",
    summary="My owned characters, newest first",
    response_model=list[CharacterResponse],
    description=GetCharactersQuery.__doc__,
    responses=error_responses(*TOKEN_ERRORS, USER_NOT_FOUND),
    openapi_extra=ACCESS_TOKEN_SECURITY,
)
async def list_characters(request: Request) -> Response:
    caller = await authenticate(request)
    async with read_connection(request) as connection:
        characters = await characters_query(connection).execute(
            GetCharactersRequest(caller.user_id)
        )
    return json_response(
        CharacterList([CharacterResponse.of(character) for character in characters])
    )


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
    openapi_extra=ACCESS_TOKEN_SECURITY,
)
async def character_ownership(
    request: Request,
    code: Annotated[str, Path(description="Character code, e.g. char-eco.", examples=["char-eco"])],
) -> Response:
    return await ownership(request)


async def ownership(request: Request) -> Response:
    """`character_ownership`, the code read from the path parameters."""
    caller = await authenticate(request)
    async with read_connection(request) as connection:
        answer = await ownership_query(connection).execute(
            CheckOwnershipRequest(caller.user_id, request.path_params["code"])
        )
    return json_response(OwnershipResponse.of(answer))


routes = [
    Route(router.prefix, list_characters, methods=["GET"], include_in_schema=False),
    Route(
        f"{router.prefix}/{{code}}/ownership", ownership, methods=["GET"], include_in_schema=False
    ),
]
"""The reads as plain Starlette routes, matched first (no FastAPI routing or dependency
solving); `router` still documents them."""
