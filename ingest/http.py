"""The one HTTP client every network source uses (httpx underneath).

Contract:
- ``HttpClient(settings, clock=, sleep=, wall=, transport=, rates=)``. ``get`` / ``post`` return an
  ``HttpResponse`` whose body has been read completely (so a truncated body is retried here, never
  seen by a source), or raise an ``HttpError`` subclass with a one-line, secret-free message:
  ``OfflineError`` (no connection could be made after all retries: the caller should say
  "offline?"), ``HttpStatusError`` (a final non-2xx status), ``TooLargeError`` (body past
  ``settings.max_download_bytes``), ``BlockedURLError`` (not http/https, or a loopback / private /
  link-local address while ``settings.allow_private_hosts`` is off).
- Per-host rate limits (a thread-safe token bucket per host): NCBI 3 requests/s, 10/s with an API
  key (NCBI's published E-utilities policy); Europe PMC and others below.
- Retries with exponential backoff (``settings.http_backoff * 2**n``, capped) on 429, 5xx,
  connection errors, timeouts and truncated bodies; a ``Retry-After`` header (seconds or an
  HTTP-date) replaces the computed wait. Other 4xx are final at once (retrying cannot help).
- An identifying User-Agent (``settings.user_agent``) on every request.
- Secrets (the NCBI API key and e-mail) are removed from every URL this module logs or returns for
  storage (``redact_url``), and a filter on the ``httpx`` logger scrubs them from its lines too.
- Redirects are followed by hand (at most ``MAX_REDIRECTS``) so every hop is checked: only http and
  https, and with ``guard=True`` (URL ingest) no hop may reach a non-public address.

The clock, the sleep and the wall clock are injectable so tests assert waits without waiting.
"""

from __future__ import annotations

import email.utils
import functools
import ipaddress
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx

from kb.settings import Settings

log = logging.getLogger("kb.ingest.http")

# NCBI E-utilities: "no more than 3 requests per second" without a key, 10 with one.
NCBI_RATE = 3.0
NCBI_RATE_WITH_KEY = 10.0
# Europe PMC publishes no hard limit; 10/s keeps well inside what its docs call reasonable use.
EUROPEPMC_RATE = 10.0
# ClinicalTrials.gov API v2 documents roughly 50 requests per minute per IP.
CTGOV_RATE = 50.0 / 60.0
# Any other host (web pages): be a polite crawler.
DEFAULT_RATE = 2.0

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_BACKOFF = 60.0  # seconds; exponential backoff never waits longer than this
MAX_RETRY_AFTER = 300.0  # a server asking for more than 5 minutes gets 5 minutes
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Query / form parameters that carry secrets: stripped from logs and from stored URLs.
SECRET_PARAMS = frozenset({"api_key", "apikey", "email", "token", "access_token"})
ALLOWED_SCHEMES = ("http", "https")


class HttpError(Exception):
    """A request that failed for good. ``str()`` is one line without secrets."""

    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        self.url = url


class OfflineError(HttpError):
    """No connection could be made to the host after every retry (DNS, refused, unreachable)."""


class HttpStatusError(HttpError):
    """The server answered with a non-2xx status that retrying did not (or could not) fix."""

    def __init__(self, message: str, *, url: str = "", status: int = 0) -> None:
        super().__init__(message, url=url)
        self.status = status


class TooLargeError(HttpError):
    """The body is larger than ``settings.max_download_bytes``; the download was aborted."""


class BlockedURLError(HttpError):
    """The URL (or a redirect) uses another scheme or points at a non-public address."""


@dataclass
class HttpResponse:
    """A complete response: status, final URL (secrets stripped), headers and the whole body."""

    status: int
    url: str
    headers: Mapping[str, str]
    content: bytes
    attempts: int = 1

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        return self.content.decode(_charset(self.headers.get("content-type", "")), "replace")

    def json(self) -> Any:
        """The body as JSON; ``ValueError`` (with a short reason) when it is not valid JSON."""
        import json

        try:
            return json.loads(self.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValueError(f"malformed JSON from {self.url}: {exc}") from None


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        key, _, val = part.strip().partition("=")
        if key.lower() == "charset" and val:
            try:
                "".encode(val.strip('"'))
                return val.strip('"')
            except LookupError:
                break
    return "utf-8"


def redact_url(url: str) -> str:
    """The URL without secret query parameters (api_key, email, ...) and without user:password."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in SECRET_PARAMS]
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query), parts.fragment))


class _RedactFilter(logging.Filter):
    """Scrubs secret values from records of a third-party logger (httpx logs full request URLs)."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            msg = record.getMessage()
            clean = redact_text(msg, self.secrets)
            if clean != msg:
                record.msg, record.args = clean, None
        return True


_httpx_filter = _RedactFilter()
logging.getLogger("httpx").addFilter(_httpx_filter)


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret value (raw or URL-encoded) replaced by ``***``."""
    from urllib.parse import quote, quote_plus

    for secret in secrets:
        if not secret:
            continue
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            text = text.replace(form, "***")
    return text


class RateLimiter:
    """A thread-safe token bucket: ``rate`` tokens per second, at most ``burst`` saved up.

    ``acquire()`` reserves the next free slot under the lock and sleeps outside it, so concurrent
    callers queue in order (tokens may go negative: each waiter owns the slot it reserved).
    Returns the wait it slept, for tests.
    """

    def __init__(
        self,
        rate: float,
        burst: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1.0, burst)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = self.burst
        self._stamp: float | None = None

    def acquire(self) -> float:
        with self._lock:
            now = self._clock()
            if self._stamp is not None:
                self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            self._tokens -= 1.0
            wait = 0.0 if self._tokens >= 0 else -self._tokens / self.rate
        if wait > 0:
            self._sleep(wait)
        return wait


def check_address(host: str, port: int | None, *, allow_private: bool) -> None:
    """Raise ``BlockedURLError`` unless every address ``host`` resolves to is public.

    Every address is checked (not only the first) because a name may resolve to several and the
    connection may use any of them.
    """
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, port or 0, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OfflineError(f"cannot resolve host {host!r}: {exc}") from None
    for info in infos:
        addr = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
            addr = addr.ipv4_mapped
        if not addr.is_global or addr.is_multicast:
            raise BlockedURLError(
                f"refusing {host}: it resolves to a non-public address ({addr}); "
                "set KB_ALLOW_PRIVATE_HOSTS=1 to allow local hosts"
            )


def check_url(url: str, *, guard: bool, allow_private: bool) -> None:
    """Only http/https with a host; with ``guard`` also only public addresses."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise BlockedURLError(f"refusing {redact_url(url)}: only http and https URLs are fetched", url=url)
    if not parts.hostname:
        raise BlockedURLError(f"refusing {redact_url(url)}: no host", url=url)
    if guard:
        try:
            port = parts.port
        except ValueError:
            raise BlockedURLError(f"refusing {redact_url(url)}: bad port", url=url) from None
        check_address(parts.hostname, port, allow_private=allow_private)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)


@dataclass
class _Stats:
    requests: int = 0
    retries: int = 0
    waits: list[float] = field(default_factory=list)  # backoff / Retry-After waits, in order


class HttpClient:
    """See the module docstring. Thread-safe; one instance per ingest run (``close()`` it)."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        wall: Callable[[], float] = time.time,
        transport: httpx.BaseTransport | None = None,
        rates: Mapping[str, float] | None = None,
    ) -> None:
        self.settings = settings
        self._clock = clock
        self._sleep = sleep
        self._wall = wall
        self.retries = max(0, settings.http_retries)
        self.backoff = max(0.0, settings.http_backoff)
        self.max_bytes = settings.max_download_bytes
        self._secrets = {
            s.get_secret_value()
            for s in (settings.ncbi_api_key, settings.ncbi_email)
            if s is not None and s.get_secret_value()
        }
        _httpx_filter.secrets |= self._secrets
        timeout = httpx.Timeout(settings.http_timeout, connect=min(10.0, settings.http_timeout))
        self._client = httpx.Client(
            timeout=timeout,
            headers={"User-Agent": settings.user_agent},
            follow_redirects=False,
            transport=transport,
            verify=_ssl_context(),
        )
        self._rates: dict[str, float] = {}
        has_key = settings.ncbi_api_key is not None and bool(settings.ncbi_api_key.get_secret_value())
        ncbi_rate = NCBI_RATE_WITH_KEY if has_key else NCBI_RATE
        for base, rate in (
            (settings.europepmc_base_url, EUROPEPMC_RATE),
            (settings.ctgov_base_url, CTGOV_RATE),
            (settings.ncbi_base_url, ncbi_rate),  # last: NCBI's strict limit wins on a shared host
        ):
            self._rates[_host_key(base)] = rate
        self._rates.update(rates or {})
        self._limiters: dict[str, RateLimiter] = {}
        self._limiters_lock = threading.Lock()
        self._stats_lock = threading.Lock()
        self.stats = _Stats()

    # -- public API ---------------------------------------------------------------------------

    def get(self, url: str, *, params: Mapping[str, Any] | None = None, **kw: Any) -> HttpResponse:
        return self.request("GET", url, params=params, **kw)

    def post(
        self, url: str, *, data: Mapping[str, Any] | None = None, params: Mapping[str, Any] | None = None, **kw: Any
    ) -> HttpResponse:
        return self.request("POST", url, params=params, data=data, **kw)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        guard: bool = False,
        max_bytes: int | None = None,
        ok_statuses: Iterable[int] = (),
    ) -> HttpResponse:
        """One logical request: retried, rate-limited, redirects checked, body read in full.

        ``guard=True`` applies the public-address check to the URL and every redirect (URL ingest).
        Statuses in ``ok_statuses`` (e.g. 304, 404) are returned instead of raised.
        """
        if params:
            url = _with_params(url, params)
        limit = self.max_bytes if max_bytes is None else max_bytes
        ok = set(ok_statuses)
        allow_private = self.settings.allow_private_hosts
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(url, guard=guard, allow_private=allow_private)
            resp = self._send_with_retries(method, url, data=data, headers=headers, max_bytes=limit)
            if resp.status in REDIRECT_STATUSES and "location" in resp.headers:
                url = urljoin(url, resp.headers["location"])
                if resp.status == 303 or (resp.status in (301, 302) and method == "POST"):
                    method, data = "GET", None
                continue
            if 200 <= resp.status < 300 or resp.status in ok:
                return resp
            raise HttpStatusError(
                f"HTTP {resp.status} from {self.redact(url)}{_reason_suffix(resp)}",
                url=self.redact(url),
                status=resp.status,
            )
        raise HttpError(f"too many redirects from {self.redact(url)}", url=self.redact(url))

    def redact(self, text: str) -> str:
        """``text`` (a URL or a message) without secrets."""
        if "://" in text and " " not in text:
            text = redact_url(text)
        return redact_text(text, self._secrets)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------------

    def _limiter(self, url: str) -> RateLimiter:
        key = _host_key(url)
        with self._limiters_lock:
            lim = self._limiters.get(key)
            if lim is None:
                rate = self._rates.get(key, self._rates.get("*", DEFAULT_RATE))
                lim = RateLimiter(rate, clock=self._clock, sleep=self._sleep)
                self._limiters[key] = lim
            return lim

    def _send_with_retries(
        self,
        method: str,
        url: str,
        *,
        data: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        max_bytes: int,
    ) -> HttpResponse:
        shown = self.redact(url)
        attempts = self.retries + 1
        last: str = ""
        connect_failures = 0
        for attempt in range(attempts):
            self._limiter(url).acquire()
            with self._stats_lock:
                self.stats.requests += 1
            retry_after: float | None = None
            try:
                resp = self._send_once(method, url, data=data, headers=headers, max_bytes=max_bytes)
            except TooLargeError:
                raise
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                connect_failures += 1
                last = f"cannot connect: {self.redact(str(exc)) or type(exc).__name__}"
            except httpx.TimeoutException as exc:
                last = f"timed out ({type(exc).__name__})"
            except httpx.TransportError as exc:
                # RemoteProtocolError / ReadError: dropped connection or truncated body.
                last = f"connection broken: {self.redact(str(exc)) or type(exc).__name__}"
            else:
                resp.attempts = attempt + 1
                if resp.status not in RETRY_STATUSES:
                    return resp
                last = f"HTTP {resp.status}"
                retry_after = parse_retry_after(resp.headers.get("retry-after"), self._wall())
                if attempt == attempts - 1:
                    return resp  # the caller turns the final status into HttpStatusError
            if attempt == attempts - 1:
                break
            wait = min(self.backoff * (2**attempt), MAX_BACKOFF)
            if retry_after is not None:
                wait = min(retry_after, MAX_RETRY_AFTER)
            with self._stats_lock:
                self.stats.retries += 1
                self.stats.waits.append(wait)
            log.warning(
                "%s %s: %s; retry %d/%d in %.1fs", method, shown, last, attempt + 1, attempts - 1, wait
            )
            if wait > 0:
                self._sleep(wait)
        if connect_failures == attempts:
            raise OfflineError(f"{urlsplit(url).hostname} unreachable after {attempts} attempts ({last})", url=shown)
        raise HttpError(f"{method} {shown} failed after {attempts} attempts: {last}", url=shown)

    def _send_once(
        self,
        method: str,
        url: str,
        *,
        data: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        max_bytes: int,
    ) -> HttpResponse:
        req = self._client.build_request(method, url, data=data, headers=headers)
        resp = self._client.send(req, stream=True)
        try:
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise TooLargeError(
                    f"{self.redact(url)}: body of {int(declared)} bytes is over the "
                    f"{max_bytes}-byte limit (KB_MAX_DOWNLOAD_BYTES)",
                    url=self.redact(url),
                )
            chunks: list[bytes] = []
            size = 0
            # Only bodies we keep are read: a redirect's or error's body is discarded unread.
            if resp.status_code < 300 or resp.status_code in (304, 404):
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLargeError(
                            f"{self.redact(url)}: body is over the {max_bytes}-byte limit "
                            "(KB_MAX_DOWNLOAD_BYTES); download aborted",
                            url=self.redact(url),
                        )
                    chunks.append(chunk)
            return HttpResponse(
                status=resp.status_code,
                url=self.redact(str(resp.url)),
                headers=resp.headers,
                content=b"".join(chunks),
            )
        finally:
            resp.close()


@functools.lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    """One verified TLS context per process (building one loads the CA bundle: ~0.1 s)."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _reason_suffix(resp: HttpResponse) -> str:
    return f" after {resp.attempts} attempts" if resp.attempts > 1 else ""


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return (parts.netloc.rsplit("@", 1)[-1] or parts.path).lower()


def _with_params(url: str, params: Mapping[str, Any]) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for key, val in params.items():
        if val is None:
            continue
        if isinstance(val, (list, tuple)):
            query.extend((key, str(v)) for v in val)
        else:
            query.append((key, str(val)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


# -- helpers the network sources share ------------------------------------------------------


def lookup_raw(cache: Any, source: str, record_id: str, ext: str) -> Any | None:
    """The complete cached ``RawRecord`` for an id, or None: the raw cache is the checkpoint that
    makes a re-run skip what it already has. (Mirrors ``RawCache``'s layout: payload + sidecar.)"""
    import json

    from kb.raw import META_SUFFIX, RawRecord, safe_name

    name = f"{safe_name(record_id)}.{ext}"
    path = cache.root / source / name
    meta_path = path.with_name(name + META_SUFFIX)
    if not path.is_file() or not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
    except (OSError, ValueError):
        return None  # an unreadable sidecar: fetch again, the save heals it
    if not isinstance(meta, dict):
        return None
    return RawRecord(
        path=path.relative_to(cache.settings.home).as_posix(),
        source=str(meta.get("source", source)),
        record_id=str(meta.get("record_id", record_id)),
        fmt=str(meta.get("format", "auto")),
        meta=meta,
    )


def utc_now() -> str:
    """An ISO-8601 UTC timestamp for ``fetched_at``."""
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def report(ctx: Any, message: str) -> None:
    """One progress line through ``ctx.progress`` (if the caller gave one)."""
    progress = getattr(ctx, "progress", None)
    if progress is not None:
        progress(message)


OFFLINE_PREFIX = "offline? "


def offline_failure(target: str, exc: Exception) -> Any:
    """The Failure a source yields when its service cannot be reached at all (after retries):
    its reason starts with ``OFFLINE_PREFIX``; the source stops after yielding it."""
    from ingest import Failure

    return Failure(target=target, reason=f"{OFFLINE_PREFIX}{exc}")


def get_json_page(ctx: Any, url: str, params: Mapping[str, Any], target: str,
                  what: str) -> tuple[Any, Any, Any]:
    """One JSON page of a paged search: ``(response, page, None)``, or ``(None, None, failure)``
    to yield before the source stops (an offline failure when the service cannot be reached)."""
    from ingest import Failure

    try:
        resp = ctx.client.get(url, params=params)
        return resp, resp.json(), None
    except OfflineError as exc:
        return None, None, offline_failure(target, exc)
    except (HttpError, ValueError) as exc:
        return None, None, Failure(target=target, reason=f"{what}: {exc}")


def is_offline(failure: Any) -> bool:
    """True for a Failure made by ``offline_failure`` (the pipeline then suggests local files)."""
    return str(getattr(failure, "reason", "")).startswith(OFFLINE_PREFIX)
