"""The client's address behind trusted proxies (pmmhub.forwarding: pure; pmmhub.addresses: the request).

No database: an accidental query fails loudly."""

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from pmmhub.addresses import client_address
from pmmhub.forwarding import client_of, limit_key, parse_address, parse_networks

PROXIES = parse_networks(["10.0.0.0/8", "192.0.2.7", "2001:db8:ffff::/48"])


def client(peer, forwarded_for=None, trusted=PROXIES):
    address = client_of(peer, forwarded_for, trusted)
    return None if address is None else str(address)


def test_an_untrusted_peer_is_the_client_whatever_it_forwards():
    assert client("198.51.100.4", "203.0.113.9") == "198.51.100.4"
    assert client("198.51.100.4", "203.0.113.9", trusted=()) == "198.51.100.4"


def test_behind_a_trusted_proxy_the_client_is_the_address_it_saw():
    assert client("10.0.0.2", "203.0.113.9") == "203.0.113.9"


def test_what_the_client_wrote_left_of_the_proxys_entry_is_ignored():
    assert client("10.0.0.2", "127.0.0.1, 198.51.100.1, 203.0.113.9") == "203.0.113.9"
    assert client("10.0.0.2", "garbage, 203.0.113.9") == "203.0.113.9"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    assert client("10.0.0.2", "198.51.100.1, 203.0.113.9, 192.0.2.7, 10.4.4.4") == "203.0.113.9"
    assert client("2001:db8:ffff::1", "2001:db8:1::5, 2001:db8:ffff:1::9") == "2001:db8:1::5"


def test_without_a_header_or_with_only_proxies_the_last_trusted_hop_is_the_client():
    assert client("10.0.0.2", None) == "10.0.0.2"
    assert client("10.0.0.2", "") == "10.0.0.2"
    assert client("10.0.0.2", "192.0.2.7, 10.1.1.1") == "192.0.2.7"


def test_a_malformed_entry_ends_the_walk_at_the_last_trusted_hop():
    assert client("10.0.0.2", "203.0.113.9, unknown") == "10.0.0.2"
    assert client("10.0.0.2", "203.0.113.9, bogus, 10.3.3.3") == "10.3.3.3"
    assert client("10.0.0.2", "203.0.113.9,,") == "10.0.0.2"
    assert client("10.0.0.2", "203.0.113.9:4711") == "10.0.0.2"


def test_addresses_are_read_as_proxies_write_them():
    assert str(parse_address(" [2001:db8::1] ")) == "2001:db8::1"
    assert str(parse_address("::ffff:203.0.113.9")) == "203.0.113.9"
    assert client("::ffff:10.0.0.2", "203.0.113.9") == "203.0.113.9"
    for junk in ("", "1.2.3", "01.2.3.4", "fe80::1%eth0", "[1.2.3.4]x", "a" * 100):
        assert parse_address(junk) is None


def test_an_ipv6_client_counts_by_its_56_and_an_ipv4_one_by_its_address():
    assert limit_key(parse_address("2001:db8:1:2:aaaa::1")) == "2001:db8:1::"
    assert limit_key(parse_address("2001:db8:1:ff:bbbb::7")) == "2001:db8:1::"
    assert limit_key(parse_address("2001:db8:1:100::1")) == "2001:db8:1:100::"
    assert limit_key(parse_address("203.0.113.9")) == "203.0.113.9"
    assert limit_key(None) == "0.0.0.0"


def test_a_bad_proxy_entry_is_named():
    assert parse_networks([" 10.0.0.1 ", "10.0.0.0/8", "10.1.2.3/8", "::1"])[2] == ipaddress.ip_network("10.0.0.0/8")
    with pytest.raises(ValueError, match="'proxy.local'"):
        parse_networks(["10.0.0.1", "proxy.local"])


header_text = st.text(alphabet=st.sampled_from("0123456789abcdef.:,[]% \t-xX"), max_size=200) | st.text(max_size=200)
addresses = st.ip_addresses().map(str)


@given(peer=st.text(max_size=60) | addresses, forwarded_for=st.none() | header_text)
def test_garbage_never_raises_and_the_answer_is_an_address(peer, forwarded_for):
    key = limit_key(client_of(peer, forwarded_for, PROXIES))
    ipaddress.ip_address(key)


@given(claimed=st.lists(addresses | header_text, max_size=5), real=addresses, proxies=st.lists(st.sampled_from(["10.0.0.3", "192.0.2.7"]), max_size=3))
def test_a_client_behind_trusted_proxies_cannot_claim_another_address(claimed, real, proxies):
    """Whatever the client writes into the header, the proxies' entries to its right decide."""
    real_address = parse_address(real)
    if any(real_address in network for network in PROXIES if network.version == real_address.version):
        return  # a client on the proxies' own network is a proxy
    header = ", ".join([*claimed, real, *proxies])
    assert client_of("10.0.0.2", header, PROXIES) == real_address


def request_from(peer, forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, headers=headers)


def test_the_request_is_read_with_the_setting(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request_from("10.0.0.2", "203.0.113.9")) == "10.0.0.2"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from("10.0.0.2", "198.51.100.1, 203.0.113.9")) == "203.0.113.9"
    assert client_address(request_from("10.0.0.2", "2001:db8:7:7:1::1")) == "2001:db8:7::"
    assert client_address(request_from("203.0.113.9", "10.0.0.1")) == "203.0.113.9"
    assert client_address(request_from("")) == "0.0.0.0"


def test_a_bad_setting_stops_startup(monkeypatch):
    import importlib

    import pmmhub.settings

    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, nginx")
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES: 'nginx'"):
        importlib.reload(pmmhub.settings)
    monkeypatch.delenv("TRUSTED_PROXIES")
    importlib.reload(pmmhub.settings)
