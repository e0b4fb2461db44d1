"""In-memory fakes of the provider-link ports: the token store, the ledger and their unit
of work (changes staged until commit), and a provider that answers as told."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from uuid import UUID

from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.provider_link.dto.unlink import UnlinkOutcome
from auth.application.provider_link.exceptions.unlink import ProviderUnlinkError

Pair = tuple[str, str]


class InMemoryProviderLinks:
    """ProviderTokenStore, UnlinkLedger and TransactionManager over one in-memory
    "database": writes are staged and applied at commit, dropped when it fails."""

    def __init__(self) -> None:
        self.rows: dict[Pair, ProviderLink] = {}
        self.ledger: dict[tuple[str, str], tuple[UUID, UnlinkOutcome]] = {}
        self._staged: list[Callable[[], None]] = []
        self.fail_commit = False
        self.commits = 0

    # -- ProviderTokenStore --
    async def save(self, link: ProviderLink) -> None:
        self._staged.append(lambda: self._apply_save(link))

    async def links_of(self, user_id: UUID) -> list[ProviderLink]:
        return sorted(
            (link for link in self.rows.values() if link.user_id == user_id),
            key=lambda link: (link.provider, link.provider_user_id),
        )

    async def owner_of(self, provider: str, provider_user_id: str) -> UUID | None:
        link = self.rows.get((provider, provider_user_id))
        return None if link is None else link.user_id

    async def delete(self, link: ProviderLink) -> None:
        self._staged.append(lambda: self._apply_delete(link))

    # -- UnlinkLedger --
    async def outcome_of(self, event_id: str, provider: str) -> UnlinkOutcome | None:
        entry = self.ledger.get((event_id, provider))
        return None if entry is None else entry[1]

    async def record(
        self, event_id: str, user_id: UUID, provider: str, outcome: UnlinkOutcome
    ) -> None:
        def apply() -> None:
            self.ledger.setdefault((event_id, provider), (user_id, outcome))

        self._staged.append(apply)

    # -- TransactionManager --
    async def commit(self) -> None:
        staged, self._staged = self._staged, []
        if self.fail_commit:
            raise ConnectionError("database down")
        for change in staged:
            change()
        self.commits += 1

    def discard(self) -> None:
        """End the unit of work without committing (what closing a session does)."""
        self._staged.clear()

    def _apply_save(self, link: ProviderLink) -> None:
        key = (link.provider, link.provider_user_id)
        stored = self.rows.get(key)
        if stored is not None and stored.user_id == link.user_id and link.refresh_token is None:
            link = replace(link, refresh_token=stored.refresh_token)
        self.rows[key] = replace(link, token_unreadable=False)

    def _apply_delete(self, link: ProviderLink) -> None:
        stored = self.rows.get((link.provider, link.provider_user_id))
        if stored is not None and stored.user_id == link.user_id:
            del self.rows[(link.provider, link.provider_user_id)]

    def store(self, *links: ProviderLink) -> None:
        """Put links in the database directly (as earlier logins did)."""
        for link in links:
            self.rows[(link.provider, link.provider_user_id)] = link


@dataclass
class ScriptedUnlinker:
    """A provider unlinker answering from a script: each call takes the next answer (an
    outcome, or an exception to raise); the last answer repeats."""

    answers: deque[UnlinkOutcome | ProviderUnlinkError] = field(default_factory=deque)
    calls: list[ProviderLink] = field(default_factory=list)

    @classmethod
    def answering(cls, *answers: UnlinkOutcome | ProviderUnlinkError) -> ScriptedUnlinker:
        return cls(answers=deque(answers))

    async def unlink(self, link: ProviderLink) -> UnlinkOutcome:
        self.calls.append(link)
        answer = self.answers.popleft() if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, ProviderUnlinkError):
            raise answer
        return answer


class RecordedSleep:
    """`asyncio.sleep` that only records the delays asked for."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
