"""The account: one person, however many social accounts they log in with."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from kernel.entity import Entity
from users.domain.exceptions.account_status import (
    AccountDisabledError,
    AccountPendingDeletionError,
    RestoreTicketStaleError,
)
from users.domain.value_objects.account_status import AccountStatus
from users.domain.value_objects.email import Email
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.nickname import Nickname
from users.domain.value_objects.phone_number import PhoneNumber


def clip(value: str | None, limit: int) -> str | None:
    """Trim provider-supplied text and keep at most ``limit`` characters; blank is None."""
    if value is None:
        return None
    value = value.strip()[:limit]
    return value or None


class User(Entity[UserId]):
    """An account. ``nickname`` and ``phone_number`` are the user's own choices;
    ``name``, ``email`` and ``profile_image_url`` come from the login provider.

    Its life: ``ACTIVE``; a deletion request makes it ``PENDING_DELETION`` with a
    ``purge_after`` date, until which its owner may restore it; an administrator may
    make it ``DISABLED`` and active again. ``purge_after`` is set exactly while a
    deletion is requested (a disabled account keeps it), and the purge takes every
    account whose date passed.
    """

    NAME_MAX_LEN: ClassVar[int] = 100
    IMAGE_URL_MAX_LEN: ClassVar[int] = 2048

    def __init__(
        self,
        id_: UserId,
        *,
        nickname: Nickname | None,
        name: str | None,
        email: Email | None,
        phone_number: PhoneNumber | None,
        profile_image_url: str | None,
        created_at: datetime,
        updated_at: datetime,
        last_login_at: datetime | None,
        status: AccountStatus = AccountStatus.ACTIVE,
        deletion_requested_at: datetime | None = None,
        purge_after: datetime | None = None,
    ) -> None:
        super().__init__(id_)
        self.nickname = nickname
        self.name = name
        self.email = email
        self.phone_number = phone_number
        self.profile_image_url = profile_image_url
        self.created_at = created_at
        self.updated_at = updated_at
        self.last_login_at = last_login_at
        self.status = status
        self.deletion_requested_at = deletion_requested_at
        self.purge_after = purge_after

    @classmethod
    def register(
        cls,
        id_: UserId,
        *,
        name: str | None,
        email: Email | None,
        profile_image_url: str | None,
        now: datetime,
    ) -> User:
        """A new account from a provider profile; the user has chosen nothing yet."""
        return cls(
            id_,
            nickname=None,
            name=clip(name, cls.NAME_MAX_LEN),
            email=email,
            phone_number=None,
            profile_image_url=clip(profile_image_url, cls.IMAGE_URL_MAX_LEN),
            created_at=now,
            updated_at=now,
            last_login_at=None,
        )

    def change_nickname(self, nickname: Nickname, now: datetime) -> None:
        self.nickname = nickname
        self.updated_at = now

    def change_phone_number(self, phone_number: PhoneNumber, now: datetime) -> None:
        self.phone_number = phone_number
        self.updated_at = now

    def refresh_from_provider(
        self,
        *,
        name: str | None,
        verified_email: Email | None,
        profile_image_url: str | None,
        now: datetime,
    ) -> None:
        """Take the provider's latest name and image when it gives them; adopt a
        verified email only while the account has none (never replace one)."""
        name = clip(name, self.NAME_MAX_LEN)
        image = clip(profile_image_url, self.IMAGE_URL_MAX_LEN)
        if name is not None:
            self.name = name
        if image is not None:
            self.profile_image_url = image
        if self.email is None and verified_email is not None:
            self.email = verified_email
        self.updated_at = now

    def record_login(self, now: datetime) -> None:
        self.last_login_at = now

    def ensure_active(self) -> None:
        """Only an active account signs in or changes its profile.

        :raises AccountPendingDeletionError: deletion requested, not restored.
        :raises AccountDisabledError: an administrator disabled it.
        """
        if self.status is AccountStatus.DISABLED:
            raise AccountDisabledError(self.id)
        if self.status is AccountStatus.PENDING_DELETION:
            assert self.purge_after is not None
            raise AccountPendingDeletionError(self.id, self.purge_after)

    def request_deletion(self, now: datetime, grace: timedelta) -> bool:
        """Start the grace period: pending deletion until ``now + grace``. True when this
        call started it; False when it was already pending (the first date stands).

        :raises AccountDisabledError: a disabled account cannot change its own status.
        """
        if self.status is AccountStatus.DISABLED:
            raise AccountDisabledError(self.id)
        if self.status is AccountStatus.PENDING_DELETION:
            return False
        self.status = AccountStatus.PENDING_DELETION
        self.deletion_requested_at = now
        self.purge_after = now + grace
        self.updated_at = now
        return True

    def restore(self, now: datetime, *, signed_in_at: datetime) -> bool:
        """Cancel the deletion: active again. ``signed_in_at`` is when its owner proved
        who they are (the restore ticket's sign-in); it must come after the deletion
        request, so a ticket of an earlier grace period cannot undo a later request.
        True when restored now; False when it was active already.

        :raises AccountDisabledError: disabled by an administrator.
        :raises RestoreTicketStaleError: the sign-in predates the deletion request.
        """
        if self.status is AccountStatus.DISABLED:
            raise AccountDisabledError(self.id)
        if self.status is AccountStatus.ACTIVE:
            return False
        assert self.deletion_requested_at is not None
        if signed_in_at < self.deletion_requested_at.replace(microsecond=0):
            raise RestoreTicketStaleError()
        self.status = AccountStatus.ACTIVE
        self.deletion_requested_at = None
        self.purge_after = None
        self.updated_at = now
        return True

    def disable(self, now: datetime) -> bool:
        """An administrator stops the account; True when it was not disabled already."""
        if self.status is AccountStatus.DISABLED:
            return False
        self.status = AccountStatus.DISABLED
        self.updated_at = now
        return True

    def enable(self, now: datetime) -> bool:
        """Lift a disable; a deletion requested before is pending again (with its date).
        True when it was disabled."""
        if self.status is not AccountStatus.DISABLED:
            return False
        self.status = (
            AccountStatus.ACTIVE if self.purge_after is None else AccountStatus.PENDING_DELETION
        )
        self.updated_at = now
        return True
