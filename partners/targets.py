"""Where a webhook may point: http(s) only and, with DEBUG off, only public addresses.

A name is resolved once per attempt, every address it resolves to is checked, and the connection goes to the
checked address (the name is kept for the Host header and TLS): a name that answers a public address to the
check and a private one to the connection (DNS rebinding) never reaches the private one.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(Exception):
    """The URL may not be called; the message says why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked address the connection goes to


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (one DNS look-up)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(_("%(host)s does not resolve.") % {"host": host}) from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(net) for net in settings.WEBHOOK_ALLOWED_NETWORKS]


def check_address(raw: str) -> Address:
    address = ipaddress.ip_address(raw.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if settings.DEBUG or any(address in net for net in _allowed_networks()):
        return address
    if not address.is_global or address.is_multicast:
        raise TargetRefused(
            _("%(address)s is a loopback, link-local, private or reserved address.") % {"address": address}
        )
    return address


def parse(url: str) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise TargetRefused(_("This is not a URL.")) from exc
    if parts.scheme not in ("http", "https"):
        raise TargetRefused(_("Only http and https URLs are accepted."))
    if not parts.hostname:
        raise TargetRefused(_("The URL has no host."))
    if parts.username or parts.password:
        raise TargetRefused(_("Put no credentials in the URL; deliveries are signed instead."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise TargetRefused(_("The URL's port is not a number between 1 and 65535.")) from exc
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, parts.hostname, port, path


def check_url(url: str) -> Target:
    """Resolve once and check every address; the target to connect to, or `TargetRefused`."""
    scheme, host, port, path = parse(url)
    addresses = resolve(host, port)
    if not addresses:
        raise TargetRefused(_("%(host)s does not resolve.") % {"host": host})
    for raw in addresses:
        check_address(raw)
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.pinned = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self.pinned = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self.pinned, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


def post(target: Target, *, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """POST to the checked address; redirects are not followed (they could lead anywhere)."""
    cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = cls(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        return Answer(response.status, response.read(2000).decode("utf-8", "replace"))
    finally:
        connection.close()
