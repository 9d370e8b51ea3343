"""The client's address (core.client): REMOTE_ADDR unless the configured trusted proxies put the
client in X-Forwarded-For; the client's own entries further left are never believed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from joinedup.core.client import client_address, client_ip


def _request(remote: str = "10.0.0.1", forwarded: str | None = None):
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_count_the_header_is_ignored(settings):
    settings.AXES_IPWARE_PROXY_COUNT = None
    assert client_address(_request("10.0.0.1", "203.0.113.9")) == "10.0.0.1"


@pytest.mark.parametrize(
    ("count", "forwarded", "client"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the client's own first entry is not believed
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.5", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: not through them all
        (1, "not-an-address", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_trusted_proxies_the_client_is_counted_from_the_right(settings, count, forwarded, client):
    settings.AXES_IPWARE_PROXY_COUNT = count
    assert client_address(_request("10.0.0.1", forwarded)) == client


def test_no_address_at_all_is_unknown(settings):
    settings.AXES_IPWARE_PROXY_COUNT = None
    assert client_address(_request("")) == "unknown"
    assert client_ip(_request("")) is None  # for axes, which keeps it in an IP address column


def test_axes_uses_the_same_address(settings):
    from axes.helpers import get_client_ip_address

    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert get_client_ip_address(_request("10.0.0.1", "198.51.100.7, 203.0.113.9")) == "203.0.113.9"
