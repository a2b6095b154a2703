"""Credentials for indexes, and redaction.

Where credentials come from, first match wins:

1. the URL itself (`https://user:pass@host/simple`): they apply to that index and to every URL
   on the same scheme, host and port (the files an index links to are often on its host);
2. `UV_INDEX_<NAME>_USERNAME` / `UV_INDEX_<NAME>_PASSWORD` for a named index;
3. `~/.netrc` (or `$NETRC`), by host.

Credentials are only ever attached to a request whose scheme, host and port match the realm
they were given for. Anything printed, logged or written goes through `redact_url` first.
"""

from __future__ import annotations

import base64
import os
import re
from urllib.parse import unquote, urlsplit, urlunsplit

__all__ = [
    "CredentialStore",
    "Credentials",
    "realm_of",
    "redact_text",
    "redact_url",
    "split_credentials",
]


class Credentials:
    __slots__ = ("password", "username")

    def __init__(self, username: str, password: str | None) -> None:
        self.username = username
        self.password = password

    def header(self) -> str:
        raw = f"{self.username}:{self.password or ''}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")

    def __repr__(self) -> str:  # never show the secret, even in a debugger
        return f"Credentials({self.username!r}, ****)"


def realm_of(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of `url`, the unit credentials are scoped to."""
    parts = urlsplit(url)
    port = parts.port
    if port is None:
        port = {"https": 443, "http": 80}.get(parts.scheme)
    return (parts.scheme, (parts.hostname or "").lower(), port)


def split_credentials(url: str) -> tuple[str, Credentials | None]:
    """`url` without its user info, and the credentials that were in it."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None
    netloc = parts.netloc.rpartition("@")[2]
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    username = unquote(parts.username or "")
    password = unquote(parts.password) if parts.password is not None else None
    return clean, Credentials(username, password)


def redact_url(url: str) -> str:
    """`url` with its password (or a lone username, often a token) replaced by `****`."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    # The authority ends at the first `/`, `?` or `#`: an `@` after it is not user info.
    end = next((i for i, c in enumerate(rest) if c in "/?#"), len(rest))
    authority, tail = rest[:end], rest[end:]
    userinfo, at, hostport = authority.rpartition("@")
    if not at:
        return url
    user, colon, _password = userinfo.partition(":")
    shown = f"{user}:****" if colon else "****"
    return f"{scheme}://{shown}@{hostport}{tail}"


_URL_WITH_USERINFO = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/@'\"`]*@[^\s'\"`]*")


def redact_text(text: str) -> str:
    """Every URL with user info inside `text`, redacted (for error messages from libraries)."""
    return _URL_WITH_USERINFO.sub(lambda m: redact_url(m.group(0)), text)


def env_name(index_name: str) -> str:
    """`UV_INDEX_<NAME>_...` uses the index name upper-cased, non-alphanumerics as `_`."""
    return re.sub(r"[^A-Z0-9]", "_", index_name.upper())


class CredentialStore:
    """Credentials by realm and URL prefix; knows nothing about HTTP libraries."""

    def __init__(self, *, netrc_path: str | None = None, use_netrc: bool = True) -> None:
        # (realm, url prefix) -> credentials; the longest matching prefix wins.
        self._entries: list[tuple[tuple[str, str, int | None], str, Credentials]] = []
        self._netrc_path = netrc_path
        self._use_netrc = use_netrc
        self._netrc: object | None = None
        self._netrc_loaded = False
        self._denied: list[str] = []  # URL prefixes never sent credentials

    def deny(self, url: str) -> None:
        """Never send credentials to `url` or below it (`authenticate = "never"`)."""
        self._denied.append(url)

    def add(self, url: str, credentials: Credentials) -> None:
        """Use `credentials` for `url` and everything on its realm."""
        self._entries.append((realm_of(url), url, credentials))
        self._entries.sort(key=lambda e: len(e[1]), reverse=True)

    def add_url(self, url: str) -> str:
        """Learn the credentials embedded in `url` (if any); return the URL without them."""
        clean, credentials = split_credentials(url)
        if credentials is not None:
            self.add(clean, credentials)
        return clean

    def for_url(self, url: str) -> Credentials | None:
        """The credentials to send with a request to `url`, or `None`."""
        if any(url.startswith(prefix) for prefix in self._denied):
            return None
        _clean, embedded = split_credentials(url)
        if embedded is not None:
            return embedded
        realm = realm_of(url)
        fallback = None
        for entry_realm, prefix, credentials in self._entries:
            if entry_realm != realm:
                continue
            if url.startswith(prefix):
                return credentials
            fallback = fallback or credentials
        if fallback is not None:
            return fallback
        return self._from_netrc(realm[1])

    def _from_netrc(self, host: str) -> Credentials | None:
        if not self._use_netrc or not host:
            return None
        if not self._netrc_loaded:
            self._netrc_loaded = True
            from puv.settings import env

            path = (self._netrc_path or env.string("NETRC")
                    or os.path.join(os.path.expanduser("~"), ".netrc"))
            if os.path.isfile(path):
                import netrc

                try:
                    self._netrc = netrc.netrc(path)
                except (netrc.NetrcParseError, OSError):
                    self._netrc = None  # uv ignores an unreadable netrc too
        if self._netrc is None:
            return None
        entry = self._netrc.authenticators(host)  # type: ignore[attr-defined]
        if not entry:
            return None
        login, _account, password = entry
        return Credentials(login or "", password)
