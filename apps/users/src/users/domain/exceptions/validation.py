"""Errors raised when a value breaks its rules."""

from __future__ import annotations

from kernel.errors import ValidationError


class InvalidNicknameError(ValidationError):
    code = "NICKNAME_INVALID"
    default_detail = "The nickname is empty, too long or contains control characters."


class InvalidPhoneNumberError(ValidationError):
    code = "PHONE_NUMBER_INVALID"
    default_detail = "The phone number is not a Korean mobile number (010-XXXX-XXXX)."


class InvalidEmailError(ValidationError):
    code = "EMAIL_INVALID"
    default_detail = "The email address is not valid."


class InvalidProviderError(ValidationError):
    code = "PROVIDER_INVALID"
    default_detail = "The provider name is not valid."


class InvalidProviderUserIdError(ValidationError):
    code = "PROVIDER_USER_ID_INVALID"
    default_detail = "The provider user id is empty, too long or not printable."


class InvalidCharacterCodeError(ValidationError):
    code = "CHARACTER_CODE_INVALID"
    default_detail = "The character code is not valid."
