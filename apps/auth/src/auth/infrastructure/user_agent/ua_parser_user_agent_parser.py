"""UserAgentParser on `ua-parser` (uap-core's regexes; the Rust `ua-parser-rs` resolver).

The builtin regexes name the in-app browsers Korean users sign in from only as the
web view they embed ("Chrome Mobile WebView", "Mobile Safari UI/WKWebView"), so two
apps are matched first: KakaoTalk (`KAKAOTALK 10.4.5` on iOS; Android sends a build
number, `KAKAOTALK 2410430`, which is not shown) and the Naver app
(`NAVER(inapp; search; 2000; 12.1.2; ...)`). The device and OS come from the builtins,
except where Chrome's reduced user agent hides them: on Android it always says
`Android 10; K`, so that is read as OS `Android` on an unknown device. (Its desktop
form keeps `Windows NT 10.0` and `Mac OS X 10_15_7` whatever the version: shown as
sent, the only versions there are to show.)

The parser is built once per process (the Rust resolver compiles every regex: about
a quarter of a second): `load` builds it ahead of the first login.
"""

from __future__ import annotations

import functools

from ua_parser import OS, Device, Parser, UserAgent, load_lazy_builtins
from ua_parser.matchers import UserAgentMatcher

from auth.application.token.dto.device import UNKNOWN_DEVICE, DeviceDescription
from auth.application.token.ports.user_agent_parser import UserAgentParser
from kernel.text import clean_text

# uap-core semantics: group 1 is the family (replaced by the name given), groups 2-4
# the version.
IN_APP_BROWSERS = (
    UserAgentMatcher(r"(KAKAOTALK)[ /](\d+)\.(\d+)(?:\.(\d+))?", "KakaoTalk"),
    UserAgentMatcher(r"(KAKAOTALK)", "KakaoTalk"),
    UserAgentMatcher(r"(NAVER)\(inapp; [^;)]*; [^;)]*; (\d+)\.(\d+)(?:\.(\d+))?", "Naver"),
)
_OTHER = "Other"  # uap-core's name for "not recognised"
_REDUCED_ANDROID = "Android 10; K)"  # Chrome's frozen platform: neither version nor model
MAX_INPUT_LEN = 1024  # longer headers are cut before matching: bounded regex work


@functools.cache
def _parser() -> Parser:
    ua, os, device = load_lazy_builtins()
    return Parser.from_matchers(([*IN_APP_BROWSERS, *ua], os, device))


class UaParserUserAgentParser(UserAgentParser):
    """Device `brand model` (uap's family: `Samsung SM-S918N`, `iPhone`), OS and browser
    `family major[.minor[.patch]]` (`iOS 17.2`, `Chrome Mobile 120.0`)."""

    @staticmethod
    def load() -> None:
        """Build the process's parser now (blocking: run it in a thread)."""
        _parser()

    def describe(self, user_agent: str | None) -> DeviceDescription:
        if not user_agent:
            return UNKNOWN_DEVICE
        user_agent = user_agent[:MAX_INPUT_LEN]
        result = _parser().parse(user_agent)
        browser = _clean(_browser(result.user_agent))
        if _REDUCED_ANDROID in user_agent:
            return DeviceDescription(device=None, os="Android", browser=browser)
        return DeviceDescription(
            device=_clean(_device(result.device)), os=_clean(_os(result.os)), browser=browser
        )


def _device(device: Device | None) -> str | None:
    return None if device is None or device.family == _OTHER else device.family


def _os(os: OS | None) -> str | None:
    if os is None or os.family == _OTHER:
        return None
    return _named(os.family, os.major, os.minor, os.patch)


def _browser(agent: UserAgent | None) -> str | None:
    if agent is None or agent.family == _OTHER:
        return None
    return _named(agent.family, agent.major, agent.minor)


def _named(family: str, *version: str | None) -> str:
    parts: list[str] = []
    for part in version:
        if not part:
            break
        parts.append(part)
    return f"{family} {'.'.join(parts)}" if parts else family


def _clean(text: str | None) -> str | None:
    return clean_text(text, DeviceDescription.MAX_LEN)
