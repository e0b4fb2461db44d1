"""Providers' unlink notices (Kakao's unlink webhook, Naver's deauthorize callback): verified,
then the link and its sessions end (write-only)."""
