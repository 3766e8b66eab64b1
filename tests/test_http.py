"""ingest.http.HttpClient against the local fake server: retries, waits, caps, guards, secrets."""

from __future__ import annotations

import email.utils
import logging
import socket
import threading
import time

import httpx
import pytest
from fakeapi import FakeAPI, FakeClock, closed_port_url

from ingest.http import (
    BlockedURLError,
    HttpClient,
    HttpError,
    HttpStatusError,
    OfflineError,
    RateLimiter,
    TooLargeError,
    check_address,
    parse_retry_after,
    redact_url,
)


@pytest.fixture
def fake():
    with FakeAPI() as api:
        yield api


@pytest.fixture
def clock():
    return FakeClock()


def client_for(settings, clock: FakeClock) -> HttpClient:
    return HttpClient(settings, clock=clock.clock, sleep=clock.sleep, wall=clock.wall)


def test_500_then_success_is_retried_once_with_backoff(fake, tmp_path, clock):
    fake.fault("/web/plain", "status", status=500, times=1)
    s = fake.settings(tmp_path, http_backoff=0.5)
    with client_for(s, clock) as client:
        resp = client.get(f"{fake.base}/web/plain")
    assert resp.status == 200 and resp.content == b"Fixture text for tests.\n"
    assert resp.attempts == 2
    assert len(fake.hits("/web/plain")) == 2
    assert client.stats.retries == 1 and client.stats.waits == [0.5]


def test_429_honours_retry_after_seconds(fake, tmp_path, clock):
    fake.fault("/web/plain", "status", status=429, headers={"Retry-After": "7"}, times=2)
    with client_for(fake.settings(tmp_path), clock) as client:
        assert client.get(f"{fake.base}/web/plain").status == 200
    assert client.stats.waits == [7.0, 7.0]
    assert 7.0 in clock.sleeps


def test_503_honours_retry_after_http_date(fake, tmp_path, clock):
    when = email.utils.formatdate(clock.wall() + 12, usegmt=True)
    fake.fault("/web/plain", "status", status=503, headers={"Retry-After": when}, times=1)
    with client_for(fake.settings(tmp_path), clock) as client:
        client.get(f"{fake.base}/web/plain")
    assert client.stats.waits == [pytest.approx(12.0, abs=1.0)]


def test_exponential_backoff_then_final_status_error(fake, tmp_path, clock):
    fake.fault("/web/plain", "status", status=502, times=99)
    s = fake.settings(tmp_path, http_retries=3, http_backoff=1.0)
    with client_for(s, clock) as client, pytest.raises(HttpStatusError) as err:
        client.get(f"{fake.base}/web/plain")
    assert err.value.status == 502
    assert "after 4 attempts" in str(err.value)
    assert len(fake.hits("/web/plain")) == 4
    assert client.stats.waits == [1.0, 2.0, 4.0]


def test_404_is_final_at_once(fake, tmp_path, clock):
    with client_for(fake.settings(tmp_path), clock) as client:
        with pytest.raises(HttpStatusError) as err:
            client.get(f"{fake.base}/web/missing")
        assert err.value.status == 404
        assert client.get(f"{fake.base}/web/missing", ok_statuses=(404,)).status == 404
    assert len(fake.hits("/web/missing")) == 2 and client.stats.retries == 0


def test_timeout_is_retried(fake, tmp_path, clock):
    fake.fault("/web/plain", "delay", delay=0.6, times=1)
    s = fake.settings(tmp_path, http_timeout=0.25)
    with client_for(s, clock) as client:
        resp = client.get(f"{fake.base}/web/plain")
    assert resp.status == 200 and resp.attempts == 2
    assert client.stats.retries == 1


def test_truncated_body_is_retried_and_never_returned(fake, tmp_path, clock):
    fake.fault("/web/news", "truncate", times=1)
    with client_for(fake.settings(tmp_path), clock) as client:
        resp = client.get(f"{fake.base}/web/news")
    assert resp.content == fake.pages["/web/news"][2]
    assert resp.attempts == 2


def test_connection_refused_is_offline_after_retries(tmp_path, clock):
    from kb.settings import Settings

    s = Settings(home=tmp_path, http_retries=2, http_backoff=0.5)
    with client_for(s, clock) as client, pytest.raises(OfflineError) as err:
        client.get(closed_port_url() + "/x")
    assert "unreachable after 3 attempts" in str(err.value)
    assert client.stats.waits == [0.5, 1.0]


def test_size_cap_by_content_length(fake, tmp_path, clock):
    s = fake.settings(tmp_path, max_download_bytes=100)
    with client_for(s, clock) as client, pytest.raises(TooLargeError, match="KB_MAX_DOWNLOAD_BYTES"):
        client.get(f"{fake.base}/web/news")


def test_size_cap_while_streaming_without_content_length(tmp_path, clock):
    from kb.settings import Settings

    sent: list[int] = []

    def endless():
        for _ in range(1000):
            sent.append(1)
            yield b"x" * 1000

    transport = httpx.MockTransport(lambda req: httpx.Response(200, content=endless()))
    s = Settings(home=tmp_path, max_download_bytes=5_000)
    client = HttpClient(s, clock=clock.clock, sleep=clock.sleep, transport=transport)
    with pytest.raises(TooLargeError, match="download aborted"):
        client.get("https://example.org/big")
    assert len(sent) < 10  # stopped reading right after the cap


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://h/", "//nohost"])
def test_only_http_and_https(url, tmp_path, clock):
    from kb.settings import Settings

    with client_for(Settings(home=tmp_path), clock) as client, pytest.raises(BlockedURLError):
        client.get(url)


def test_redirect_to_another_scheme_is_refused(fake, tmp_path, clock):
    with client_for(fake.settings(tmp_path), clock) as client:
        with pytest.raises(BlockedURLError, match="only http and https"):
            client.get(f"{fake.base}/web/to-file", guard=True)
        assert client.get(f"{fake.base}/web/moved").url.endswith("/web/news")
        with pytest.raises(HttpError, match="too many redirects"):
            client.get(f"{fake.base}/web/loop")


def test_private_hosts_refused_unless_allowed(fake, tmp_path, clock):
    s = fake.settings(tmp_path, allow_private_hosts=False)
    with client_for(s, clock) as client:
        with pytest.raises(BlockedURLError, match="non-public address"):
            client.get(f"{fake.base}/web/news", guard=True)
        assert fake.hits("/web/news") == []  # refused before any connection
        assert client.get(f"{fake.base}/web/news").status == 200  # API calls are not guarded


@pytest.mark.parametrize(
    "addr",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
     "100.64.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1"],
)
def test_check_address_blocks_non_public(addr, monkeypatch):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(family, 1, 6, "", (addr, 80))])
    with pytest.raises(BlockedURLError):
        check_address("somewhere.example", 80, allow_private=False)
    check_address("somewhere.example", 80, allow_private=True)


def test_check_address_checks_every_resolved_address(monkeypatch):
    infos = [(socket.AF_INET, 1, 6, "", ("93.184.216.34", 80))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: infos)
    check_address("public.example", 80, allow_private=False)  # public only: fine
    infos.append((socket.AF_INET, 1, 6, "", ("10.0.0.5", 80)))
    with pytest.raises(BlockedURLError):
        check_address("public.example", 80, allow_private=False)


def test_user_agent_is_sent(fake, tmp_path, clock):
    s = fake.settings(tmp_path)
    with client_for(s, clock) as client:
        client.get(f"{fake.base}/web/plain")
    assert fake.requests[0].headers["user-agent"] == s.user_agent


def test_secrets_never_in_logs_errors_or_returned_urls(fake, tmp_path, clock, caplog):
    s = fake.settings(tmp_path, ncbi_api_key="SEKRETKEY123", ncbi_email="me@example.org", http_retries=1)
    fake.fault("/eutils/esearch.fcgi", "status", status=500, times=99)
    caplog.set_level(logging.DEBUG)
    with client_for(s, clock) as client:
        params = {"db": "pubmed", "term": "x", "api_key": "SEKRETKEY123", "email": "me@example.org"}
        with pytest.raises(HttpStatusError) as err:
            client.get(f"{s.ncbi_base_url}/esearch.fcgi", params=params)
        fake.faults.clear()
        resp = client.get(f"{s.ncbi_base_url}/esearch.fcgi", params=params)
    assert fake.requests[0].params["api_key"] == "SEKRETKEY123"  # the server did get them
    text = caplog.text + str(err.value) + resp.url
    assert "retry 1/1" in caplog.text  # the retry was logged ...
    for secret in ("SEKRETKEY123", "me@example.org", "me%40example.org"):
        assert secret not in text  # ... without the secrets
    assert "term=x" in resp.url


def test_redact_url():
    url = "https://h.example/e?db=pubmed&api_key=K1&email=a%40b.c&term=islet"
    assert redact_url(url) == "https://h.example/e?db=pubmed&term=islet"
    assert redact_url("https://user:pw@h.example/x") == "https://h.example/x"


def test_parse_retry_after():
    now = 1_750_000_000.0
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(email.utils.formatdate(now + 30, usegmt=True), now) == pytest.approx(30, abs=1)
    assert parse_retry_after(email.utils.formatdate(now - 30, usegmt=True), now) == 0.0
    assert parse_retry_after("soon", now) is None and parse_retry_after(None, now) is None


def test_ncbi_rate_depends_on_api_key(tmp_path):
    from kb.settings import Settings

    plain = HttpClient(Settings(home=tmp_path))
    keyed = HttpClient(Settings(home=tmp_path, ncbi_api_key="k"))
    url = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esearch.fcgi"
    assert plain._limiter(url).rate == 3.0 and keyed._limiter(url).rate == 10.0
    assert plain._limiter("https://clinicaltrials.gov/api/v2/studies").rate < 1.0
    plain.close()
    keyed.close()


def test_client_waits_for_the_host_rate_limit(fake, tmp_path, clock):
    s = fake.settings(tmp_path)
    client = HttpClient(s, clock=clock.clock, sleep=clock.sleep, rates={f"127.0.0.1:{fake.base.rsplit(':', 1)[1]}": 4.0})
    for _ in range(5):
        client.get(f"{fake.base}/web/plain")
    client.close()
    assert clock.sleeps == [pytest.approx(0.25)] * 4  # the first is free, then one per 1/4 s


def test_rate_limiter_reserves_distinct_slots_across_threads():
    """Frozen clock: every acquire must get its own slot 1/rate apart (no lost update)."""
    waits: list[float] = []
    lock = threading.Lock()
    limiter = RateLimiter(10.0, clock=lambda: 0.0, sleep=lambda s: None)

    def worker():
        for _ in range(25):
            w = limiter.acquire()
            with lock:
                waits.append(w)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(round(w * 10) for w in waits) == list(range(200))


def test_rate_limiter_keeps_under_its_limit_in_real_time():
    rate = 100.0
    limiter = RateLimiter(rate)
    stamps: list[float] = []
    lock = threading.Lock()

    def worker():
        for _ in range(5):
            limiter.acquire()
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(6)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stamps.sort()
    assert stamps[-1] - start >= (len(stamps) - 1) / rate * 0.95
    window = 0.1
    for i, t0 in enumerate(stamps):
        in_window = sum(1 for t in stamps[i:] if t < t0 + window)
        assert in_window <= rate * window + 2
