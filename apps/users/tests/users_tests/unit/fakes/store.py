"""In-memory fakes of the persistence ports, sharing one store like one database.

Like the SQLAlchemy adapters, objects handed out are the stored ones, so changes a
use case makes are kept; ``commits`` counts commits so tests see the boundary.
``integration/persistence/test_store_contracts.py`` runs one contract against these
fakes and the PostgreSQL gateways, and lists what the fakes knowingly leave out
(rollback, locks, foreign keys); ``test_read_contracts.py`` does the same for the
query gateways.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from users.application.admin.ports.admin_action_log import AdminActionLog
from users.application.character.ports.account_character_query_gateway import (
    AccountCharacterQueryGateway,
)
from users.application.common.ports.social_account_query_gateway import (
    SocialAccountQueryGateway,
)
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.application.common.ports.user_event_outbox import UserEventOutbox
from users.application.identity.ports.social_account_command_gateway import (
    SocialAccountCommandGateway,
)
from users.application.identity.ports.user_character_command_gateway import (
    UserCharacterCommandGateway,
)
from users.application.lifecycle.ports.due_account_gateway import DueAccountGateway
from users.application.profile.ports.profile_query_gateway import ProfileQueryGateway
from users.domain.entities.admin_action import AdminAction
from users.domain.entities.social_account import SocialAccount
from users.domain.entities.user import User
from users.domain.entities.user_character import UserCharacter
from users.domain.events.user_event import UserEvent
from users.domain.exceptions.conflict import CharacterAlreadyOwnedError, UserAlreadyExistsError
from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId


@dataclass
class Store:
    users: dict[UserId, User] = field(default_factory=dict)
    social_accounts: list[SocialAccount] = field(default_factory=list)
    characters: list[UserCharacter] = field(default_factory=list)
    events: list[UserEvent] = field(default_factory=list)
    admin_actions: list[AdminAction] = field(default_factory=list)
    commits: int = 0
    locked: list[UserId] = field(default_factory=list)


class FakeTransactionManager(TransactionManager):
    def __init__(self, store: Store) -> None:
        self._store = store

    async def commit(self) -> None:
        self._store.commits += 1


class FakeUserGateway(UserCommandGateway):
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, user: User) -> None:
        """Raises at once what PostgreSQL raises at commit (nothing acts in between)."""
        if user.id in self._store.users:
            raise UserAlreadyExistsError()
        self._store.users[user.id] = user

    async def get_for_update(self, user_id: UserId) -> User | None:
        self._store.locked.append(user_id)
        return self._store.users.get(user_id)

    async def delete(self, user: User) -> None:
        store = self._store
        del store.users[user.id]
        store.social_accounts = [a for a in store.social_accounts if a.user_id != user.id]
        store.characters = [c for c in store.characters if c.user_id != user.id]


class FakeSocialAccountGateway(SocialAccountQueryGateway, SocialAccountCommandGateway):
    """``before_insert`` runs inside ``add_if_absent`` before the key check: a test
    uses it to let a "concurrent" caller win the race."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.before_insert: Callable[[], None] | None = None

    async def list_by_user_id(self, user_id: UserId) -> Sequence[SocialAccount]:
        return sorted(
            (a for a in self._store.social_accounts if a.user_id == user_id),
            key=lambda a: (a.created_at, a.id),
        )

    async def add_if_absent(self, account: SocialAccount) -> bool:
        if self.before_insert is not None:
            self.before_insert()
        if await self.get_by_identity(account.provider, account.provider_user_id):
            return False
        self._store.social_accounts.append(account)
        return True

    async def get_by_identity(
        self, provider: Provider, provider_user_id: ProviderUserId
    ) -> SocialAccount | None:
        return next(
            (
                a
                for a in self._store.social_accounts
                if a.provider == provider and a.provider_user_id == provider_user_id
            ),
            None,
        )

    async def list_by_user_and_provider(
        self, user_id: UserId, provider: Provider
    ) -> Sequence[SocialAccount]:
        return [a for a in await self.list_by_user_id(user_id) if a.provider == provider]

    async def find_user_id(
        self, provider: Provider, provider_user_id: ProviderUserId
    ) -> UserId | None:
        account = await self.get_by_identity(provider, provider_user_id)
        return None if account is None else account.user_id

    async def delete(self, account: SocialAccount) -> None:
        self._store.social_accounts = [a for a in self._store.social_accounts if a is not account]


class FakeUserCharacterGateway(UserCharacterCommandGateway):
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, character: UserCharacter) -> None:
        """One per user and code, whatever its status; raises at once what PostgreSQL
        raises at commit."""
        if any(
            c.user_id == character.user_id and c.code == character.code
            for c in self._store.characters
        ):
            raise CharacterAlreadyOwnedError()
        self._store.characters.append(character)


class FakeProfileQueryGateway(ProfileQueryGateway):
    def __init__(self, store: Store) -> None:
        self._store = store
        self._accounts = FakeSocialAccountGateway(store)

    async def get_with_social_accounts(
        self, user_id: UserId
    ) -> tuple[User, Sequence[SocialAccount]] | None:
        user = self._store.users.get(user_id)
        if user is None:
            return None
        return user, await self._accounts.list_by_user_id(user_id)


class FakeAccountCharacterGateway(AccountCharacterQueryGateway):
    def __init__(self, store: Store) -> None:
        self._store = store

    async def list_owned(self, user_id: UserId) -> Sequence[UserCharacter] | None:
        if user_id not in self._store.users:
            return None
        owned = [c for c in self._store.characters if c.user_id == user_id and c.is_owned]
        return sorted(owned, key=lambda c: (c.acquired_at, c.id), reverse=True)

    async def is_owned(self, user_id: UserId, code: CharacterCode) -> bool | None:
        owned = await self.list_owned(user_id)
        return None if owned is None else any(c.code == code for c in owned)


class FakeUserEventOutbox(UserEventOutbox):
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, event: UserEvent) -> None:
        self._store.events.append(event)


class FakeAdminActionLog(AdminActionLog):
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, action: AdminAction) -> None:
        self._store.admin_actions.append(action)


class FakeDueAccountGateway(DueAccountGateway):
    """No locks: ``held`` stands for accounts another transaction holds (skipped)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.held: set[UserId] = set()

    async def claim_due(self, now: datetime, limit: int) -> Sequence[User]:
        due = sorted(
            (
                user
                for user in self._store.users.values()
                if user.purge_after is not None
                and user.purge_after <= now
                and user.id not in self.held
            ),
            key=lambda user: (user.purge_after, user.id),
        )[:limit]
        self._store.locked.extend(user.id for user in due)
        return due
