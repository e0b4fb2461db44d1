"""Ending a link at each provider over HTTP (httpx): Kakao's admin-key unlink, Naver's
token deletion, Google's and Apple's token revocation."""
