"""Facade: erase an account for good and say so (accounts + links + outbox).

The three ports form one concept, the purge: the account and its links go, and the
event that lets others end the links at the providers must carry those links, so it
is built from them in the same transaction; apart, either half could happen alone.
"""

from __future__ import annotations

from datetime import datetime

from kernel.ids import IdGenerator
from users.application.common.ports.social_account_query_gateway import (
    SocialAccountQueryGateway,
)
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.application.common.ports.user_event_outbox import UserEventOutbox
from users.domain.entities.user import User
from users.domain.events.user_purged import UserPurged
from users.domain.value_objects.linked_identity import LinkedIdentity


class AccountEraser:
    """Deletes the account (its social accounts and characters go with it: every
    personal field the service held) and stages ``user.purged`` with the provider
    identities it was linked to. The caller owns the transaction."""

    def __init__(
        self,
        users: UserCommandGateway,
        social_accounts: SocialAccountQueryGateway,
        outbox: UserEventOutbox,
        ids: IdGenerator,
    ) -> None:
        self._users = users
        self._social_accounts = social_accounts
        self._outbox = outbox
        self._ids = ids

    async def erase(self, user: User, now: datetime) -> UserPurged:
        """``user`` must be locked by this transaction (``get_for_update``/``claim_due``)."""
        accounts = await self._social_accounts.list_by_user_id(user.id)
        identities = tuple(
            LinkedIdentity(account.provider, account.provider_user_id) for account in accounts
        )
        await self._users.delete(user)
        event = UserPurged(
            event_id=self._ids.new_id(), user_id=user.id, occurred_at=now, identities=identities
        )
        self._outbox.add(event)
        return event
