"""The client's address, worked out one way for everything that counts or limits by it: the
person's sign-in throttle (portal), the self-referral limit (referrals) and django-axes's staff
sign-in lockout (`AXES_CLIENT_IP_CALLABLE` points at `client_ip`).

Behind `AXES_IPWARE_PROXY_COUNT` trusted proxies (the setting axes and django-ipware use), the
client is the address that many entries from the right of X-Forwarded-For: each trusted proxy
appends the address it was called from, so entries further left were written by the client itself
and cannot be trusted. With no proxy count (the default) X-Forwarded-For is ignored and the address
is REMOTE_ADDR. An entry that is not an IP address, or a header shorter than the proxy count (the
request did not come through them all), falls back to REMOTE_ADDR.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def _ip(value: object) -> str:
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return ""


def client_address(request: HttpRequest) -> str:
    """The client's IP address, or "unknown"."""
    return client_ip(request) or UNKNOWN


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address, or None (django-axes's `AXES_CLIENT_IP_CALLABLE`: it keeps the
    address in an IP address column, which PostgreSQL checks)."""
    remote = _ip(request.META.get("REMOTE_ADDR", ""))
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        entries = [entry.strip() for entry in str(forwarded).split(",")]
        if len(entries) >= proxies:
            found = _ip(entries[-proxies])
            if found:
                return found
    return remote or None
