"""What a session shows of its device: ua-parser on the user agents Eco² users sign in with."""

from __future__ import annotations

import pytest

from auth.application.token.dto.device import DeviceDescription
from auth.infrastructure.user_agent.ua_parser_user_agent_parser import UaParserUserAgentParser
from kernel.text import has_unsafe_characters

PARSER = UaParserUserAgentParser()

CASES = [
    pytest.param(
        "Mozilla/5.0 (Linux; Android 14; SM-S918N Build/UP1A.231005.007; wv) AppleWebKit/537.36"
        " (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36;"
        "KAKAOTALK 2410430",
        ("Samsung SM-S918N", "Android 14", "KakaoTalk"),
        id="KakaoTalk in-app, Android (a build number, not a version)",
    ),
    pytest.param(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) Mobile/15E148 KAKAOTALK 10.4.5",
        ("iPhone", "iOS 16.6", "KakaoTalk 10.4"),
        id="KakaoTalk in-app, iOS",
    ),
    pytest.param(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
        ("iPhone", "iOS 17.2", "Mobile Safari 17.2"),
        id="iOS Safari",
    ),
    pytest.param(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/120.0.0.0 Safari/537.36",
        (None, "Windows 10", "Chrome 120.0"),
        id="Chrome desktop, Windows",
    ),
    pytest.param(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/120.0.0.0 Safari/537.36",
        ("Mac", "Mac OS X 10.15.7", "Chrome 120.0"),
        id="Chrome desktop, macOS",
    ),
    pytest.param(
        "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918N) AppleWebKit/537.36"
        " (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
        ("Samsung SM-S918N", "Android 14", "Samsung Internet 23.0"),
        id="Samsung Internet",
    ),
    pytest.param(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) Mobile/15E148 NAVER(inapp; search; 2000; 12.1.2; 15PRO)",
        ("iPhone", "iOS 17.1.2", "Naver 12.1"),
        id="Naver app in-app, iOS",
    ),
    pytest.param(
        "Mozilla/5.0 (Linux; Android 13; SM-G991N Build/TP1A.220624.014; wv) AppleWebKit/537.36"
        " (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.193 Mobile Safari/537.36"
        " NAVER(inapp; search; 1200; 12.0.3)",
        ("Samsung SM-G991N", "Android 13", "Naver 12.0"),
        id="Naver app in-app, Android",
    ),
    pytest.param(
        "Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/120.0.6099.230 Mobile Safari/537.36",
        ("Samsung SM-S918N", "Android 14", "Chrome Mobile 120.0"),
        id="Chrome Android, full user agent",
    ),
    pytest.param(
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/120.0.0.0 Mobile Safari/537.36",
        (None, "Android", "Chrome Mobile 120.0"),
        id="Chrome Android, reduced user agent (no model, a frozen version)",
    ),
    pytest.param("curl/8.5.0", (None, None, "curl 8.5"), id="a tool"),
    pytest.param("", (None, None, None), id="empty"),
    pytest.param(None, (None, None, None), id="no header"),
    pytest.param("\x00\x01 not a browser", (None, None, None), id="garbage"),
]


@pytest.mark.parametrize(("user_agent", "expected"), CASES)
def test_real_user_agents_name_device_os_and_browser(
    user_agent: str | None, expected: tuple[str | None, str | None, str | None]
) -> None:
    described = PARSER.describe(user_agent)
    assert (described.device, described.os, described.browser) == expected


def test_what_it_names_is_safe_to_show_and_bounded() -> None:
    hostile = (
        "Mozilla/5.0 (Linux; Android 14; SM-\u202eS918N"
        + "X" * 200
        + "\x1b[31m Build/UP1A) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/120.0.0.0 Mobile Safari/537.36"
    )
    described = PARSER.describe(hostile)
    assert described.device is not None
    assert described.device.startswith("SM-S918NXXX")
    for name in (described.device, described.os, described.browser):
        assert name is not None
        assert len(name) <= DeviceDescription.MAX_LEN
        assert not has_unsafe_characters(name)


def test_a_huge_header_is_read_only_in_its_first_kilobyte() -> None:
    huge = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X)" + " x" * 100_000
    assert PARSER.describe(huge).os == "iOS 17.2"
