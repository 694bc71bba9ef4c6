"""The client's address, for the limits on logins, sign-ups and workshop joins.

Behind a reverse proxy every request arrives from the proxy; `TRUSTED_PROXIES` names the
proxies whose `X-Forwarded-For` is believed (the rules are in `pmmhub.forwarding`).
"""

from functools import lru_cache

from django.conf import settings

from pmmhub import forwarding


@lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[forwarding.Network, ...]:
    return forwarding.parse_networks(entries)


def client_address(request) -> str:
    """The address the limits count: the client's IPv4 address or its IPv6 /56."""
    address = forwarding.client_of(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        _trusted(tuple(settings.TRUSTED_PROXIES)),
    )
    return forwarding.limit_key(address)
