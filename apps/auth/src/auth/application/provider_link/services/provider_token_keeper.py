"""Keep a login's provider refresh token, without ever failing the login."""

from __future__ import annotations

import logging

from auth.application.common.ports.transaction_manager import TransactionManager
from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.provider_link.ports.provider_token_store import ProviderTokenStore
from kernel.error_chain import describe_error

logger = logging.getLogger(__name__)


async def keep_provider_token(
    link: ProviderLink, store: ProviderTokenStore, transaction: TransactionManager
) -> bool:
    """Save ``link`` and commit it; True when it was stored.

    The login does not depend on it: when the write fails (the database is down) one
    WARNING line says so (provider, user, the error chain; never the token) and the
    answer is False. What is lost is only the ability to revoke that token at the
    provider when the account is deleted; the link itself is saved again at the
    user's next login.
    """
    try:
        await store.save(link)
        await transaction.commit()
    except Exception as error:  # noqa: BLE001 - logged; the login goes on
        logger.warning(
            "provider token not stored; the login goes on",
            extra={
                "provider": link.provider,
                "user_id": str(link.user_id),
                "error": describe_error(error),
            },
        )
        return False
    return True
