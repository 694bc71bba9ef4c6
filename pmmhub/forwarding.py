"""Which address a request came from, given the reverse proxies we trust. Pure rules: no Django.

A proxy appends the address it received the request from to `X-Forwarded-For`, so the
header reads "what the client claimed, …, what each proxy saw", the most trustworthy entry
last. Walking it from the right and skipping our own proxies, the first other entry is the
address the nearest trusted proxy saw: the client. Anything left of it was written by the
client and proves nothing.

The limits count an IPv6 client by its /56, the block an ISP commonly hands one customer
(RIPE-690 recommends a /56 or /48 per site). Each device picks, and keeps changing,
addresses inside its network's /64, so counting single addresses would give one home
endless fresh budgets where an IPv4 home behind NAT has one; counting /64s would still give
anyone with a free tunnel-broker /48 65,536 budgets (256 at /56).
"""

import ipaddress
from collections.abc import Iterable

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

UNKNOWN = "0.0.0.0"  # a peer without a usable address (never the case over TCP)
IPV6_CLIENT_PREFIX = 56


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or CIDR networks ("10.0.0.7", "10.0.0.0/8", "2001:db8::/32") as networks.

    Raises ValueError naming the first entry that is neither.
    """
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{entry!r} is not an IP address or network") from None
    return tuple(networks)


def parse_address(text: str) -> Address | None:
    """One address as a proxy writes it, or None. IPv6 may come in brackets; an IPv4 address
    mapped into IPv6 (::ffff:10.0.0.7, as dual-stack sockets report it) is the IPv4 address."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if not text or len(text) > 45 or "%" in text:  # 45: the longest IPv6 text form; %: a zone, local only
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted(address: Address, trusted: Iterable[Network]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)


def client_of(peer: str, forwarded_for: str | None, trusted: tuple[Network, ...]) -> Address | None:
    """The client's address: the peer itself unless it is a trusted proxy; then the right-most
    `X-Forwarded-For` entry that is not a trusted proxy.

    A malformed entry ends the walk at the last trusted hop (the peer, or the trusted entry
    just right of it): a trusted proxy wrote something we cannot read, so we count the
    request as that proxy's rather than believe anything further left, which the client
    could have written. Limits then err on the strict side, never the lax one.
    """
    hop = parse_address(peer)
    if hop is None or not is_trusted(hop, trusted) or not forwarded_for:
        return hop
    for entry in reversed(forwarded_for.split(",")):
        address = parse_address(entry)
        if address is None:
            return hop
        if not is_trusted(address, trusted):
            return address
        hop = address
    return hop


def limit_key(address: Address | None) -> str:
    """What the limits count: an IPv4 address, or the /56 network of an IPv6 one (as its first
    address, so it fits wherever an address is stored)."""
    if address is None:
        return UNKNOWN
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False).network_address)
    return str(address)
