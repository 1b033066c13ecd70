"""Where a webhook may send: the receiver's addresses, checked at registration and at every
connection, so that a webhook cannot be aimed at the cloud's metadata service or the operator's
internal network.

Link-local (including 169.254.169.254 and fe80::/10), unspecified, multicast and reserved
addresses are always refused. Loopback and private ranges (127/8, ::1, 10/8, 172.16/12,
192.168/16, fc00::/7, and every other range that is not globally routable) only when the operator
allows them (``WEBHOOK_ALLOW_PRIVATE_NETWORKS``). A name is refused when any address it resolves
to is refused. An IPv4 address carried inside an IPv6 one (mapped, 6to4, NAT64) is judged as IPv4.

Names are resolved by the event loop's resolver (``getaddrinfo`` in a worker thread, never on the
loop itself) under a timeout; tests inject a resolver of their own and never touch the real DNS.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

__all__ = [
    "AddressError",
    "AddressPolicy",
    "AddressRefused",
    "IPAddress",
    "Resolver",
    "UnresolvableHost",
    "refusal",
    "system_resolver",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]

_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")  # "this host": Linux connects 0.x to itself
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressError(Exception):
    """The receiver's host cannot be used: it does not resolve, or to an address refused."""


class UnresolvableHost(AddressError):
    pass


class AddressRefused(AddressError):
    pass


def _as_ipv4(address: IPAddress) -> IPAddress:
    if isinstance(address, ipaddress.IPv4Address):
        return address
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.ipv4_mapped or address.sixtofour or address


def refusal(address: IPAddress, *, allow_private: bool) -> str | None:
    """Why ``address`` may not receive webhooks, or None when it may."""
    address = _as_ipv4(address)
    if address.is_link_local:
        return "a link-local address"
    if address.is_unspecified or address in _THIS_NETWORK:
        return "an unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_reserved and not address.is_loopback:  # 240/4 and the broadcast address
        return "a reserved address"
    if not address.is_global and not allow_private:
        return "a loopback or private address"
    return None


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.removeprefix("[").removesuffix("]"))
    except ValueError:
        return None


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """The addresses ``host`` resolves to, as the operating system resolves them (hosts file,
    DNS), on the loop's resolver threads so that a slow answer blocks no other work."""
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnresolvableHost(f"{host} does not resolve") from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).partition("%")[0]) for info in found]
    return list(dict.fromkeys(addresses))


@dataclass(frozen=True)
class AddressPolicy:
    """Resolves a receiver's host and checks every address it names."""

    allow_private: bool
    resolver: Resolver
    timeout_seconds: float

    async def addresses(self, host: str, port: int) -> list[IPAddress]:
        """The addresses to connect to; :class:`AddressError` when there are none allowed."""
        literal = _literal(host)
        addresses = [literal] if literal is not None else await self._resolve(host, port)
        for address in addresses:
            reason = refusal(address, allow_private=self.allow_private)
            if reason is not None:
                raise AddressRefused(f"{host} is {reason} ({address}), where webhooks may not be sent")
        return addresses

    async def _resolve(self, host: str, port: int) -> list[IPAddress]:
        try:
            async with asyncio.timeout(self.timeout_seconds):
                addresses = await self.resolver(host, port)
        except TimeoutError as exc:
            raise UnresolvableHost(f"{host} did not resolve within {self.timeout_seconds:g} s") from exc
        if not addresses:
            raise UnresolvableHost(f"{host} does not resolve")
        return addresses
