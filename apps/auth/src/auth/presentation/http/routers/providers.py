"""`GET /providers`: the providers a sign-in page shows, public."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from auth.application.oauth.queries.list_providers import ListProvidersQuery
from auth.presentation.http.schemas.oauth import ProviderOut, ProvidersOut
from auth.setup.dependencies import get_list_providers_query

router = APIRouter(prefix="/api/v1/auth", tags=["oauth"])

# The list changes only with auth's configuration (a restart): browsers and proxies may
# keep it for a minute.
CACHE_CONTROL = "public, max-age=60"


@router.get(
    "/providers",
    response_model=ProvidersOut,
    summary="The providers to sign in with",
    description=ListProvidersQuery.__doc__ or "",
)
async def list_providers(
    response: Response,
    query: ListProvidersQuery = Depends(get_list_providers_query),
) -> ProvidersOut:
    response.headers["Cache-Control"] = CACHE_CONTROL
    return ProvidersOut(
        providers=[
            ProviderOut(
                name=provider.name,
                display_name=provider.display_name,
                authorize_url=f"{router.prefix}/{provider.name}/authorize",
            )
            for provider in await query.execute()
        ]
    )
