"""Python 3.11 shims for python-wechaty 0.10.7; call `apply()` before importing any wechaty module.

python-wechaty 0.10.7 was written for Python 3.7-3.9, pyee 8 and urllib3 1.x. Rather than pin old
libraries for the whole project, each shim below patches one measured incompatibility:

- `PuppetOptions.__hash__`: Python 3.11 dataclasses reject an unhashable instance as a field
  default, and `wechaty.WechatyOptions` uses `PuppetOptions()` as one. Import fails without it.
- `pyee.AsyncIOEventEmitter`: pyee 9+ moved it to `pyee.asyncio`; wechaty imports the old name.
- `urllib3.get_host`: removed in urllib3 2; `wechaty.user.url_link` imports it.
- `telnetlib`: deprecated in 3.11 (a DeprecationWarning at import, an error under our
  `filterwarnings = error`) and gone in 3.13. We import it once with that one warning silenced,
  and provide a minimal stand-in where it no longer exists.
- `ping_endpoint`: wechaty_puppet_service probes the endpoint with a Telnet object it never closes,
  which leaks a socket (a ResourceWarning) on every connect. Replaced by a probe that closes it.
- `get_logger`: python-wechaty gives every module logger its own stderr handler at INFO with
  propagation off, under bare names such as "Config" or "Room", and logs message texts and the
  service token there. Its loggers are moved under "wechaty.*", propagate normally, and default
  to WARNING; `redact()` masks a token in what the puppet client logs. Its FileBox logger calls
  the deprecated `Logger.warn`, which warns; that one name is pointed at `Logger.warning`.
- `CACHE_DIR`: importing `wechaty` creates `./.wechaty/` in the working directory unless
  CACHE_DIR is set; we default it to a per-user cache directory.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import sys
import types
import warnings
from pathlib import Path
from urllib.parse import urlsplit

WECHATY_LOGGER = "wechaty"
_applied = False


def apply() -> None:
    """Install every shim; idempotent. Must run before the first wechaty import."""
    global _applied
    if _applied:
        return
    os.environ.setdefault("CACHE_DIR", str(_default_cache_dir()))
    _alias_pyee_asyncio_emitter()
    _supply_urllib3_get_host()
    _import_telnetlib_quietly()
    _route_wechaty_loggers()
    _make_puppet_options_hashable()
    _replace_endpoint_probe()
    _applied = True


def endpoint_is_reachable(endpoint: str, timeout: float = 1.0) -> bool:
    """True when a TCP connection to `host:port` succeeds; the socket is always closed."""
    host, port = split_endpoint(endpoint)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def split_endpoint(endpoint: str) -> tuple[str, int]:
    """`host:port` (optionally with an http:// prefix) as a (host, port) pair."""
    parts = urlsplit(endpoint if "://" in endpoint else f"http://{endpoint}")
    if not parts.hostname or parts.port is None:
        raise ValueError(f"endpoint must be host:port, got {endpoint!r}")
    return parts.hostname, parts.port


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tuanbot" / "wechaty"


def _alias_pyee_asyncio_emitter() -> None:
    import pyee
    import pyee.asyncio

    if not hasattr(pyee, "AsyncIOEventEmitter"):
        pyee.AsyncIOEventEmitter = pyee.asyncio.AsyncIOEventEmitter  # type: ignore[attr-defined]


def _supply_urllib3_get_host() -> None:
    import urllib3
    from urllib3.util import parse_url

    if hasattr(urllib3, "get_host"):
        return

    def get_host(url: str) -> tuple[str, str | None, int | None]:
        """urllib3 1.x's (scheme, host, port) of a URL."""
        parsed = parse_url(url)
        return parsed.scheme or "http", parsed.hostname, parsed.port

    urllib3.get_host = get_host  # type: ignore[attr-defined]


class _Telnet:
    """The part of telnetlib.Telnet python-wechaty uses (open a TCP connection, close it)."""

    def __init__(self) -> None:
        self.sock: socket.socket | None = None

    def open(self, host: str, port: int = 23, timeout: float = 3.0) -> None:
        self.sock = socket.create_connection((host, port), timeout)

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def __del__(self) -> None:
        self.close()


def _import_telnetlib_quietly() -> None:
    if "telnetlib" in sys.modules:
        return
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", message="'telnetlib' is deprecated", category=DeprecationWarning
            )
            importlib.import_module("telnetlib")
    except ModuleNotFoundError:
        stand_in = types.ModuleType("telnetlib", "Minimal stand-in for the removed telnetlib module.")
        stand_in.Telnet = _Telnet  # type: ignore[attr-defined]
        sys.modules["telnetlib"] = stand_in


def _route_wechaty_loggers() -> None:
    logging.getLogger(WECHATY_LOGGER).setLevel(logging.WARNING)
    before = set(logging.root.manager.loggerDict)

    # Importing the logger module runs wechaty_puppet/__init__, whose modules already call the
    # original get_logger; those loggers are reset below, later ones never get handlers.
    import wechaty_puppet
    import wechaty_puppet.logger

    def get_logger(name: str | None = None, file: str | None = None) -> logging.Logger:
        return logging.getLogger(f"{WECHATY_LOGGER}.{name or 'root'}")

    wechaty_puppet.logger.get_logger = get_logger
    wechaty_puppet.get_logger = get_logger
    logging.getLogger(f"{WECHATY_LOGGER}.PuppetService").addFilter(_REDACTOR)
    for name in set(logging.root.manager.loggerDict) - before:
        logger = logging.getLogger(name)
        if not name.startswith(WECHATY_LOGGER):
            logger.handlers = []
            logger.propagate = True
            logger.setLevel(logging.WARNING)
            # wechaty_puppet.file_box calls the deprecated Logger.warn (a DeprecationWarning).
            logger.warn = logger.warning  # type: ignore[method-assign]


def _make_puppet_options_hashable() -> None:
    from wechaty_puppet.schemas.puppet import PuppetOptions

    if PuppetOptions.__hash__ is None:
        PuppetOptions.__hash__ = object.__hash__


def _replace_endpoint_probe() -> None:
    import wechaty_puppet_service.puppet
    import wechaty_puppet_service.utils

    def ping_endpoint(end_point: str) -> bool:
        return endpoint_is_reachable(end_point)

    wechaty_puppet_service.utils.ping_endpoint = ping_endpoint
    wechaty_puppet_service.puppet.ping_endpoint = ping_endpoint  # type: ignore[attr-defined]


def redact(secret: str) -> None:
    """Replace `secret` with *** in what python-wechaty's puppet client logs (it logs the token)."""
    if secret:
        _REDACTOR.secrets.add(secret)


class _Redactor(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("there are endpoint<"):
            return False  # logged on every connect that has both, which is always ours
        if any(secret in message for secret in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, "***")
            record.msg, record.args = message, ()
        return True


_REDACTOR = _Redactor()
