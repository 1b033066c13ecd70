"""A name resolver for tests: names resolve only as a test says, and never through the real DNS, so
nothing a test registers can make the gateway look up, or send to, anything beyond this machine."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from baseline_api.webhooks.addresses import IPAddress, UnresolvableHost

__all__ = ["LOOPBACK_NAMES", "StaticResolver"]

# Names the tests use in URLs they register; all of them are this machine.
LOOPBACK_NAMES = ("localhost", "portal.example.nhs.uk", "receiver.example")


@dataclass
class StaticResolver:
    """``names`` maps a host name to its addresses; any other name does not resolve."""

    names: dict[str, list[str]] = field(
        default_factory=lambda: {name: ["127.0.0.1"] for name in LOOPBACK_NAMES}
    )
    asked: list[str] = field(default_factory=list)

    async def __call__(self, host: str, port: int) -> list[IPAddress]:
        self.asked.append(host)
        if host not in self.names:
            raise UnresolvableHost(f"{host} does not resolve")
        return [ipaddress.ip_address(address) for address in self.names[host]]
