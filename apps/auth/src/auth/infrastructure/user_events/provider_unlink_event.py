"""The provider-unlink worker's reading of a users' event: which events it acts on, and
the request it makes of them."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Collection

from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.provider_link.dto.unlink import LinkedIdentity, UnlinkAtProvidersRequest
from auth.infrastructure.persistence_postgres.mappings.provider_links import EVENT_ID_MAX_LEN
from auth.infrastructure.user_events.user_event import PoisonMessageError, UserEvent
from auth.infrastructure.user_events.user_event_handler import UserEventHandler


def unlink_request(event: UserEvent) -> UnlinkAtProvidersRequest:
    """The unlink the event asks for: its id (the idempotence key), the user, and the
    identities it carries (`identities`: a JSON list of `{"provider", "provider_user_id"}`;
    none when absent).

    :raises PoisonMessageError: no event id (or a too long one), no valid user id, or
        identities that are not such a list.
    """
    if not event.event_id or len(event.event_id) > EVENT_ID_MAX_LEN:
        raise PoisonMessageError(f"{event.event_type} without a usable event_id")
    if event.user_id is None:
        raise PoisonMessageError(f"{event.event_type} without a valid user_id")
    return UnlinkAtProvidersRequest(
        event_id=event.event_id, user_id=event.user_id, identities=_identities(event.identities)
    )


def _identities(raw: str | None) -> tuple[LinkedIdentity, ...]:
    if raw is None:
        return ()
    try:
        items = json.loads(raw)
    except ValueError as error:
        raise PoisonMessageError("identities is not JSON") from error
    if not isinstance(items, list):
        raise PoisonMessageError("identities is not a list")
    identities = []
    for item in items:
        provider = item.get("provider") if isinstance(item, dict) else None
        subject = item.get("provider_user_id") if isinstance(item, dict) else None
        if not (
            isinstance(provider, str)
            and isinstance(subject, str)
            and 0 < len(provider) <= ProviderLink.PROVIDER_MAX_LEN
            and 0 < len(subject) <= ProviderLink.PROVIDER_USER_ID_MAX_LEN
        ):
            raise PoisonMessageError("an identity is not a provider and provider_user_id")
        identities.append(LinkedIdentity(provider, subject))
    return tuple(identities)


def unlinking_at_providers(
    unlink: Callable[[UnlinkAtProvidersRequest], Awaitable[object]],
    event_types: Collection[str],
) -> UserEventHandler:
    """The provider-unlink worker's handler: an event of ``event_types`` ends the user's
    links at the providers; any other is not its business."""

    async def handle(event: UserEvent) -> bool:
        if event.event_type not in event_types:
            return False
        await unlink(unlink_request(event))
        return True

    return handle
