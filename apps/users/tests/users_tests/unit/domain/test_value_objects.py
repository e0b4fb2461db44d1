"""Value objects: each rule, and the normalisation their parse() applies."""

from __future__ import annotations

import pytest

from kernel.errors import ValidationError
from users.domain.exceptions.validation import (
    InvalidCharacterCodeError,
    InvalidEmailError,
    InvalidNicknameError,
    InvalidPhoneNumberError,
    InvalidProviderError,
    InvalidProviderUserIdError,
)
from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.email import Email
from users.domain.value_objects.nickname import Nickname
from users.domain.value_objects.phone_number import PhoneNumber
from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId


class TestNickname:
    def test_parse_trims_and_keeps_korean(self) -> None:
        assert Nickname.parse("  지구지킴이 ").value == "지구지킴이"

    def test_parse_normalises_to_nfc(self) -> None:
        decomposed = "\u1100\u1161"  # 가 as conjoining jamo
        assert Nickname.parse(decomposed).value == "가"

    @pytest.mark.parametrize("length", [Nickname.MIN_LEN, Nickname.MAX_LEN])
    def test_lengths_at_the_limits_are_valid(self, length: int) -> None:
        assert len(Nickname("가" * length).value) == length

    @pytest.mark.parametrize("raw", ["", "   ", "가" * (Nickname.MAX_LEN + 1)])
    def test_empty_or_too_long_is_rejected(self, raw: str) -> None:
        with pytest.raises(InvalidNicknameError) as raised:
            Nickname.parse(raw)
        assert raised.value.code == "NICKNAME_INVALID"

    @pytest.mark.parametrize("raw", ["eco\nfan", "eco\u200bfan", "tab\there"])
    def test_control_and_invisible_characters_are_rejected(self, raw: str) -> None:
        with pytest.raises(InvalidNicknameError):
            Nickname.parse(raw)

    def test_untrimmed_value_is_rejected_without_parse(self) -> None:
        with pytest.raises(InvalidNicknameError):
            Nickname(" eco")

    def test_is_a_validation_error(self) -> None:
        assert issubclass(InvalidNicknameError, ValidationError)


class TestPhoneNumber:
    @pytest.mark.parametrize(
        "raw",
        [
            "01012345678",
            "010-1234-5678",
            "010 1234 5678",
            "010.1234.5678",
            "(010) 1234-5678",
            "+82 10-1234-5678",
            "+821012345678",
            "821012345678",
            " 010-1234-5678 ",
        ],
    )
    def test_common_spellings_normalise_to_010_xxxx_xxxx(self, raw: str) -> None:
        assert PhoneNumber.parse(raw).value == "010-1234-5678"

    @pytest.mark.parametrize(
        "raw",
        [
            "",
            "02-123-4567",
            "011-123-4567",
            "0111234567",
            "010-1234-567",
            "010-1234-56789",
            "010-abcd-5678",
            "".join(chr(0xFF10 + int(digit)) for digit in "01012345678"),  # full-width
            "+1 010 1234 5678",
        ],
    )
    def test_anything_else_is_rejected(self, raw: str) -> None:
        with pytest.raises(InvalidPhoneNumberError) as raised:
            PhoneNumber.parse(raw)
        assert raised.value.code == "PHONE_NUMBER_INVALID"

    def test_non_canonical_value_is_rejected_without_parse(self) -> None:
        with pytest.raises(InvalidPhoneNumberError):
            PhoneNumber("01012345678")


class TestEmail:
    def test_parse_lowercases_the_domain_only(self) -> None:
        email = Email.parse(" Eco.Fan@Example.COM ")
        assert email.value == "Eco.Fan@example.com"
        assert email.local_part == "Eco.Fan"

    @pytest.mark.parametrize(
        "raw", ["", "eco", "eco@", "@example.com", "eco@example", "e co@example.com", "a@b@c.d"]
    )
    def test_malformed_addresses_are_rejected(self, raw: str) -> None:
        with pytest.raises(InvalidEmailError) as raised:
            Email.parse(raw)
        assert raised.value.code == "EMAIL_INVALID"

    def test_too_long_is_rejected(self) -> None:
        with pytest.raises(InvalidEmailError):
            Email("a" * 64 + "@" + "b" * 260 + ".com")


class TestProvider:
    @pytest.mark.parametrize("name", ["google", "kakao", "naver", "my-oidc_2"])
    def test_configured_names_are_accepted(self, name: str) -> None:
        assert Provider(name).value == name

    @pytest.mark.parametrize("name", ["", "Google", "2fa", "with space", "x" * 33])
    def test_other_shapes_are_rejected(self, name: str) -> None:
        with pytest.raises(InvalidProviderError) as raised:
            Provider(name)
        assert raised.value.code == "PROVIDER_INVALID"


class TestProviderUserId:
    def test_is_opaque_and_case_sensitive(self) -> None:
        assert ProviderUserId("AbC-123") != ProviderUserId("abc-123")

    @pytest.mark.parametrize("raw", ["", " 123", "123 ", "12\n3", "x" * 256])
    def test_empty_padded_unprintable_or_long_is_rejected(self, raw: str) -> None:
        with pytest.raises(InvalidProviderUserIdError) as raised:
            ProviderUserId(raw)
        assert raised.value.code == "PROVIDER_USER_ID_INVALID"

    def test_max_length_is_accepted(self) -> None:
        assert len(ProviderUserId("7" * ProviderUserId.MAX_LEN).value) == 255


class TestCharacterCode:
    @pytest.mark.parametrize("code", ["char-eco", "CHAR_2", "a.b-c"])
    def test_valid_codes(self, code: str) -> None:
        assert CharacterCode(code).value == code

    @pytest.mark.parametrize("code", ["", "-eco", "char eco", "char/eco", "c" * 65])
    def test_invalid_codes(self, code: str) -> None:
        with pytest.raises(InvalidCharacterCodeError) as raised:
            CharacterCode(code)
        assert raised.value.code == "CHARACTER_CODE_INVALID"
