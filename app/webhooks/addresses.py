"""Which hosts a webhook may reach: public unicast addresses only, however the address is spelled.

Any principal can register a hook, so without this the server could be made to POST into its own network (SSRF).
An address is refused when it, or an IPv4 address embedded in it, is loopback, private, link-local, site-local,
reserved, multicast, unspecified or otherwise not global. The embeddings unwrapped are IPv4-mapped
(``::ffff:a.b.c.d``), IPv4-compatible (``::a.b.c.d``), 6to4 (``2002::/16``), Teredo (``2001::/32``) and NAT64
(``64:ff9b::/96``, ``64:ff9b:1::/48``): a host reached through any of them may forward to the IPv4 inside.
Host names are refused when they name this machine (``localhost``, ``*.localhost``, with or without the final
dot) or resolve to a refused address; the old numeric spellings of IPv4 that resolvers and browsers still accept
(``2130706433``, ``0x7f.1``, ``127.1``, ``0177.0.0.1``) are read as the address they stand for.

The dispatcher also checks the address it actually connects to (see ``guard.py``), so a name that resolves to a
public address when registered and to a private one when sent (DNS rebinding) is still refused.
"""

from __future__ import annotations

import ipaddress
import socket
from ipaddress import IPv4Address, IPv6Address
from urllib.parse import urlsplit

IPAddress = IPv4Address | IPv6Address

_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


class Unresolvable(Exception):
    """A host name that has no address now (unknown, or the resolver failed)."""


def parse_literal(host: str) -> IPAddress | None:
    """The address ``host`` spells out (with or without brackets or an IPv6 zone), or None for a host name."""
    text = host.strip().strip("[]")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    return _legacy_ipv4(text)


def _legacy_ipv4(text: str) -> IPv4Address | None:
    # inet_aton's forms (the WHATWG URL standard's too): one to four parts, each decimal, 0x-hex or 0-octal,
    # the last filling the remaining bytes, so "127.1" is 127.0.0.1 and "2130706433" is too.
    parts = text[:-1].split(".") if text.endswith(".") else text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers: list[int] = []
    for part in parts:
        if part[:2].lower() == "0x":
            base, digits, allowed = 16, part[2:], "0123456789abcdefABCDEF"
        elif len(part) > 1 and part.startswith("0"):
            base, digits, allowed = 8, part[1:], "01234567"
        else:
            base, digits, allowed = 10, part, "0123456789"
        if not digits and base != 16:
            return None
        if any(ch not in allowed for ch in digits):
            return None
        numbers.append(int(digits or "0", base))
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    value = last
    for i, n in enumerate(head):
        value += n << (8 * (3 - i))
    return IPv4Address(value)


def embedded_ipv4(address: IPv6Address) -> list[tuple[str, IPv4Address]]:
    """The IPv4 addresses an IPv6 address carries, with the name of the form that carries each."""
    found: list[tuple[str, IPv4Address]] = []
    if address.ipv4_mapped is not None:
        found.append(("IPv4-mapped", address.ipv4_mapped))
    low = int(address)
    if low >> 32 == 0 and low > 1:  # ::a.b.c.d; :: and ::1 are themselves unspecified and loopback
        found.append(("IPv4-compatible", IPv4Address(low & 0xFFFFFFFF)))
    if address.sixtofour is not None:
        found.append(("6to4", address.sixtofour))
    if address.teredo is not None:
        server, client = address.teredo
        found += [("Teredo server", server), ("Teredo client", client)]
    if any(address in net for net in _NAT64):
        found.append(("NAT64", IPv4Address(low & 0xFFFFFFFF)))
    return found


def _kind(address: IPAddress) -> str | None:
    checks = (("unspecified", address.is_unspecified), ("loopback", address.is_loopback),
              ("link-local", address.is_link_local), ("multicast", address.is_multicast),
              ("private", address.is_private), ("reserved", address.is_reserved),
              ("site-local", isinstance(address, IPv6Address) and address.is_site_local))
    for name, flag in checks:
        if flag:
            return name
    return None if address.is_global else "non-public"


def address_refusal(address: IPAddress) -> str | None:
    """Why ``address`` may not be called, or None when it is a public unicast address."""
    if isinstance(address, IPv6Address):
        for form, inner in embedded_ipv4(address):
            kind = _kind(inner)
            if kind is not None:
                return f"{address} carries the {kind} address {inner} ({form})"
    kind = _kind(address)
    return None if kind is None else f"{address} is a {kind} address"


def is_local_name(host: str) -> bool:
    name = host.strip().lower().rstrip(".")
    return name in _LOCAL_NAMES or name.endswith(".localhost")


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to for a TCP connection (what the connection itself would try)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as exc:
        raise Unresolvable(f"cannot resolve {host}: {exc}") from exc
    out: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in out:
            out.append(address)
    if not out:
        raise Unresolvable(f"cannot resolve {host}: no address")
    return out


def host_refusal(host: str, port: int, *, lookup: bool = True) -> str | None:
    """Why ``host`` may not be called, or None. Raises Unresolvable when ``lookup`` finds no address."""
    literal = parse_literal(host)
    if literal is not None:
        reason = address_refusal(literal)
        return None if reason is None else f"blocked: {host} is not public: {reason}"
    if is_local_name(host):
        return f"blocked: {host} names this machine"
    if not lookup:
        return None
    for address in resolve(host, port):
        reason = address_refusal(address)
        if reason is not None:
            return f"blocked: {host} resolves to a non-public address: {reason}"
    return None


def url_refusal(url: str) -> str | None:
    """Why the host of ``url`` may not be called, or None. Raises Unresolvable when its name has no address."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        return f"blocked: bad port: {exc}"
    return host_refusal(parts.hostname or "", port)
