"""Names of the constraints whose violation means something to the domain."""

from __future__ import annotations

from typing import Final

PK_ACCOUNTS: Final = "pk_accounts"
UQ_SOCIAL_ACCOUNTS_IDENTITY: Final = "uq_social_accounts_provider_provider_user_id"
FK_SOCIAL_ACCOUNTS_USER: Final = "fk_social_accounts_user_id_accounts"
UQ_USER_CHARACTERS_USER_CODE: Final = "uq_user_characters_user_id_character_code"
FK_USER_CHARACTERS_USER: Final = "fk_user_characters_user_id_accounts"
