"""A local fake of the services `ingest/` talks to, for offline tests.

One threaded ``http.server`` on 127.0.0.1 (a free port) speaks, under path prefixes:

- ``/eutils/``  NCBI E-utilities: ``esearch.fcgi`` (retmode=json, usehistory=y -> WebEnv /
  query_key, retstart / retmax, mindate / maxdate, the 10,000-record window) and ``efetch.fcgi``
  (id list by GET or POST, or WebEnv + query_key + retstart + retmax) returning a
  ``PubmedArticleSet``;
- ``/europepmc/``  Europe PMC REST: ``search`` (cursorMark paging, resultType=core, format=json;
  on the last page ``nextCursorMark`` repeats the cursor sent, as the real service does) and
  ``{PMCID}/fullTextXML`` (JATS; 404 when there is none);
- ``/ctgov/``  ClinicalTrials.gov API v2: ``studies/{NCT}`` and ``studies?query.term=&pageSize=
  &pageToken=`` (``nextPageToken`` absent on the last page);
- ``/web/``  plain web pages (with ETag / 304 support and redirects).

The data are the real samples in ``../shared/samples`` plus the fixtures in
``tests/fixtures/api`` (same shapes). Faults are injected per path with ``fault(...)``: a status
(with headers, e.g. 429 + Retry-After), a delay (for client timeouts), a truncated body, or a
malformed body, each for a number of hits. Every request is recorded in ``requests``.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "api"
SAMPLES = HERE.parent.parent / "shared" / "samples"

PUBMED_HEAD = (
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January '
    '2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n'
)
PUBMED_TAIL = "</PubmedArticleSet>\n"
MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


@dataclass
class Fault:
    path: str  # substring of the request path (+ query) that triggers it
    kind: str  # "status" | "delay" | "truncate" | "malformed"
    times: int = 1
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    method: str | None = None
    hits: int = 0


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]


def _article_date(xml: str) -> str:
    """'YYYY/MM/DD' of an article's PubDate (missing parts default to 01)."""
    m = re.search(r"<PubDate>(.*?)</PubDate>", xml, re.S)
    part = m.group(1) if m else ""
    year = re.search(r"<Year>(\d{4})</Year>", part)
    month = re.search(r"<Month>(\w+)</Month>", part)
    day = re.search(r"<Day>(\d+)</Day>", part)
    mon = 1
    if month:
        mv = month.group(1)
        mon = int(mv) if mv.isdigit() else MONTHS.get(mv[:3].lower(), 1)
    return f"{year.group(1) if year else '1900'}/{mon:02d}/{int(day.group(1)) if day else 1:02d}"


def _norm_date(value: str, end: bool) -> str:
    parts = value.replace("-", "/").split("/")
    while len(parts) < 3:
        parts.append("12" if end and len(parts) == 1 else ("31" if end else "01"))
    return "/".join(p.zfill(2) for p in parts)


def _tokens(query: str) -> list[str]:
    query = re.sub(r"\[[^\]]*\]", " ", query.lower())
    return [t for t in re.findall(r"[a-z0-9]+", query) if t not in {"and", "or", "not"}]


def _cursor(offset: int) -> str:
    return base64.b64encode(f"fake:{offset}".encode()).decode()


def _uncursor(mark: str) -> int | None:
    if mark in ("", "*"):
        return 0
    try:
        text = base64.b64decode(mark.encode()).decode()
    except ValueError:
        return None
    return int(text[5:]) if text.startswith("fake:") and text[5:].isdigit() else None


def synthetic_article(pmid: str, date: str, topic: str = "synthetic") -> str:
    """A minimal PubmedArticle (real element names) for paging / date-split tests."""
    y, m, d = date.split("/")
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
        f'<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><PubDate><Year>{y}</Year>'
        f"<Month>{m}</Month><Day>{d}</Day></PubDate></JournalIssue><Title>Fixture Synthetic Journal</Title>"
        f"</Journal><ArticleTitle>{topic} fixture article {pmid}.</ArticleTitle><Abstract><AbstractText>"
        f"Fixture text for tests about {topic}; record {pmid}.</AbstractText></Abstract></Article>"
        f"</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType=\"pubmed\">{pmid}</ArticleId>"
        f"</ArticleIdList></PubmedData></PubmedArticle>"
    )


class FakeAPI:
    """The fake services. Use as a context manager, or ``start()`` / ``stop()``."""

    def __init__(self) -> None:
        self.pubmed: dict[str, tuple[str, str]] = {}  # pmid -> (PubmedArticle xml, 'YYYY/MM/DD')
        self.esearch_window = 10_000  # NCBI refuses retstart past 9,999 for PubMed
        self.histories: dict[str, list[str]] = {}
        self.epmc: list[dict[str, Any]] = []
        self.fulltext: dict[str, bytes] = {}
        self.studies: dict[str, dict[str, Any]] = {}
        self.pages: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.faults: list[Fault] = []
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._load()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- data -----------------------------------------------------------------------------

    def _load(self) -> None:
        sample = (SAMPLES / "pubmed" / "biopython__Tests_Entrez_pubmed1.xml").read_text("utf-8")
        articles = re.findall(r"<PubmedArticle>.*?</PubmedArticle>", sample, re.S)
        for path in sorted((FIXTURES / "pubmed").glob("*.xml")):
            articles.append(path.read_text("utf-8").strip())
        for xml in articles:
            self.add_pubmed(xml)
        for path in [
            SAMPLES / "europepmc" / "pyEuropePMC__search_cancer_core.json",
            FIXTURES / "europepmc" / "islet_core.json",
        ]:
            self.epmc.extend(json.loads(path.read_text("utf-8"))["resultList"]["result"])
        for path in (FIXTURES / "jats").glob("PMC*.xml"):
            self.fulltext[path.stem] = path.read_bytes()
        for path in (SAMPLES / "ctgov").glob("aact__NCT*.json"):
            study = json.loads(path.read_text("utf-8"))
            nct = study["protocolSection"]["identificationModule"]["nctId"]  # the id inside is the truth
            self.studies[nct] = study
        news = (FIXTURES / "web" / "islet_news.html").read_bytes()
        self.pages["/web/news"] = (200, {"Content-Type": "text/html; charset=utf-8", "ETag": '"news-v1"'}, news)
        self.pages["/web/moved"] = (301, {"Location": "/web/news"}, b"")
        self.pages["/web/to-file"] = (302, {"Location": "file:///etc/passwd"}, b"")
        self.pages["/web/loop"] = (302, {"Location": "/web/loop"}, b"")
        self.pages["/web/plain"] = (200, {"Content-Type": "text/plain"}, b"Fixture text for tests.\n")

    def add_pubmed(self, xml: str) -> str:
        pmid = re.search(r"<PMID[^>]*>(\d+)</PMID>", xml).group(1)
        self.pubmed[pmid] = (xml, _article_date(xml))
        return pmid

    def add_synthetic(self, n: int, *, start: int = 91_000_000, topic: str = "synthetic",
                      years: tuple[int, int] = (2000, 2024)) -> list[str]:
        """``n`` synthetic articles spread over ``years`` (for paging and date splitting)."""
        ids = []
        span = years[1] - years[0] + 1
        for i in range(n):
            pmid = str(start + i)
            date = f"{years[0] + i % span}/{1 + i % 12:02d}/{1 + i % 28:02d}"
            self.pubmed[pmid] = (synthetic_article(pmid, date, topic), date)
            ids.append(pmid)
        return ids

    def fault(self, path: str, kind: str = "status", **kw: Any) -> Fault:
        f = Fault(path=path, kind=kind, **kw)
        self.faults.append(f)
        return f

    def hits(self, path: str, method: str | None = None) -> list[Request]:
        return [r for r in self.requests if path in r.path and (method is None or r.method == method)]

    # -- server ---------------------------------------------------------------------------

    @property
    def base(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self, home: Path, **overrides: Any):
        """A Settings pointing every service at this server (private hosts allowed)."""
        from kb.settings import Settings

        values: dict[str, Any] = dict(
            home=home,
            ncbi_base_url=f"{self.base}/eutils",
            europepmc_base_url=f"{self.base}/europepmc",
            ctgov_base_url=f"{self.base}/ctgov",
            allow_private_hosts=True,
            http_timeout=2.0,
            http_retries=3,
            http_backoff=0.5,
        )
        values.update(overrides)
        return Settings(**values)

    def start(self) -> FakeAPI:
        api = self

        class Handler(_Handler):
            fake = api

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- routing --------------------------------------------------------------------------

    def take_fault(self, method: str, target: str) -> Fault | None:
        with self._lock:
            for f in self.faults:
                if f.times > 0 and f.path in target and (f.method is None or f.method == method):
                    f.times -= 1
                    f.hits += 1
                    return f
        return None

    def route(self, method: str, path: str, params: dict[str, str], headers: dict[str, str]):
        """-> (status, headers, body)."""
        if path.startswith("/eutils/esearch.fcgi"):
            return self.esearch(params)
        if path.startswith("/eutils/efetch.fcgi"):
            return self.efetch(params)
        if path == "/europepmc/search":
            return self.epmc_search(params)
        m = re.fullmatch(r"/europepmc/(PMC\d+)/fullTextXML", path)
        if m:
            body = self.fulltext.get(m.group(1))
            if body is None:
                return 404, {"Content-Type": "text/html"}, b"<html>Not found</html>"
            return 200, {"Content-Type": "application/xml"}, body
        m = re.fullmatch(r"/ctgov/studies/([^/]+)", path)
        if m:
            study = self.studies.get(m.group(1).upper())
            if study is None:
                return 404, {"Content-Type": "text/plain"}, f"Study {m.group(1)} not found".encode()
            return 200, {"Content-Type": "application/json"}, json.dumps(study).encode()
        if path == "/ctgov/studies":
            return self.ctgov_search(params)
        if path in self.pages:
            status, hdrs, body = self.pages[path]
            etag = hdrs.get("ETag")
            if etag and headers.get("if-none-match") == etag:
                return 304, {"ETag": etag}, b""
            return status, dict(hdrs), body
        return 404, {"Content-Type": "text/plain"}, b"not found"

    def esearch(self, p: dict[str, str]):
        tokens = _tokens(p.get("term", ""))
        datetype = p.get("datetype", "pdat")
        lo = _norm_date(p["mindate"], False) if p.get("mindate") else "0000/00/00"
        hi = _norm_date(p["maxdate"], True) if p.get("maxdate") else "9999/99/99"
        ids = [
            pmid for pmid, (xml, date) in self.pubmed.items()
            if all(t in xml.lower() for t in tokens) and (datetype not in ("pdat", "edat") or lo <= date <= hi)
        ]
        ids.sort(key=lambda i: (self.pubmed[i][1], i), reverse=True)  # newest first, like PubMed
        retstart = int(p.get("retstart", 0))
        retmax = int(p.get("retmax", 20))
        result: dict[str, Any] = {"count": str(len(ids)), "retmax": "0", "retstart": str(retstart), "idlist": []}
        if retstart + min(retmax, 1) > self.esearch_window:
            result["ERROR"] = (
                f"Search Backend failed: Exception:\n'retstart' cannot be larger than "
                f"{self.esearch_window - 1}. For PubMed, ESearch can only retrieve the first "
                f"{self.esearch_window} records matching the query."
            )
        else:
            page = ids[retstart: min(retstart + retmax, self.esearch_window)]
            result.update(retmax=str(len(page)), idlist=page)
        if p.get("usehistory") == "y":
            with self._lock:
                webenv = f"MCID_fake_{len(self.histories) + 1}"
                self.histories[webenv] = ids
            result.update(querykey="1", webenv=webenv)
        result["querytranslation"] = p.get("term", "")
        body = {"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result}
        return 200, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(body).encode()

    def efetch(self, p: dict[str, str]):
        if p.get("id"):
            ids = [i.strip() for i in p["id"].split(",") if i.strip()]
        elif p.get("WebEnv") in self.histories and p.get("query_key") == "1":
            hist = self.histories[p["WebEnv"]]
            start = int(p.get("retstart", 0))
            ids = hist[start: start + int(p.get("retmax", 20))]
        else:
            return 400, {"Content-Type": "text/plain"}, b"Cannot retrieve history data"
        body = PUBMED_HEAD + "".join(self.pubmed[i][0] + "\n" for i in ids if i in self.pubmed) + PUBMED_TAIL
        return 200, {"Content-Type": "text/xml; charset=UTF-8"}, body.encode()

    def epmc_search(self, p: dict[str, str]):
        tokens = _tokens(p.get("query", ""))
        hits = [r for r in self.epmc if all(t in json.dumps(r).lower() for t in tokens)]
        size = min(int(p.get("pageSize", 25)), 1000)
        mark = p.get("cursorMark", "*")
        offset = _uncursor(mark)
        if offset is None:
            body = {"version": "6.9", "errCode": 400, "errMsg": "Invalid cursorMark"}
            return 400, {"Content-Type": "application/json"}, json.dumps(body).encode()
        page = hits[offset: offset + size]
        body = {
            "version": "6.9",
            "hitCount": len(hits),
            "request": {"queryString": p.get("query", ""), "resultType": p.get("resultType", "lite"),
                        "cursorMark": mark, "pageSize": size, "sort": "", "synonym": False},
            "resultList": {"result": page},
        }
        if hits:
            more = offset + size < len(hits)
            body["nextCursorMark"] = _cursor(offset + size) if more else mark
        return 200, {"Content-Type": "application/json;charset=UTF-8"}, json.dumps(body).encode()

    def ctgov_search(self, p: dict[str, str]):
        tokens = _tokens(p.get("query.term", ""))
        ids = sorted(n for n, s in self.studies.items() if all(t in json.dumps(s).lower() for t in tokens))
        size = min(int(p.get("pageSize", 10)), 1000)
        token = p.get("pageToken", "")
        offset = int(token[4:]) if token.startswith("tok-") and token[4:].isdigit() else 0
        if token and not token.startswith("tok-"):
            return 400, {"Content-Type": "text/plain"}, b"invalid pageToken"
        body: dict[str, Any] = {"studies": [self.studies[n] for n in ids[offset: offset + size]]}
        if p.get("countTotal") == "true":
            body["totalCount"] = len(ids)
        if offset + size < len(ids):
            body["nextPageToken"] = f"tok-{offset + size}"
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeAPI

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, delayed ACKs add ~40 ms each.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        if method == "POST":
            length = int(self.headers.get("Content-Length", 0) or 0)
            params.update(parse_qsl(self.rfile.read(length).decode("utf-8"), keep_blank_values=True))
        headers = {k.lower(): v for k, v in self.headers.items()}
        fake = self.fake
        with fake._lock:
            fake.requests.append(Request(method, parts.path, params, headers))
        fault = fake.take_fault(method, self.path)
        try:
            if fault and fault.kind == "status":
                self._send(fault.status, {"Content-Type": "text/plain", **fault.headers}, fault.body)
                return
            if fault and fault.kind == "delay":
                time.sleep(fault.delay)
            status, hdrs, body = fake.route(method, parts.path, params, headers)
            if fault and fault.kind == "malformed":
                body = fault.body or body[: max(1, len(body) // 2)]
                self._send(status, hdrs, body)
            elif fault and fault.kind == "truncate":
                self.send_response(status)
                for k, v in hdrs.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: max(1, len(body) // 2)])
                self.wfile.flush()
                self.close_connection = True
            else:
                self._send(status, hdrs, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


# -- test helpers shared by tests/test_http.py and tests/test_sources_*.py ---------------------


class FakeClock:
    """A monotonic clock that only moves when someone sleeps; records every sleep."""

    def __init__(self, start: float = 1000.0, wall: float = 1_750_000_000.0) -> None:
        self.t = start
        self.wall_t = wall
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        return self.t

    def wall(self) -> float:
        return self.wall_t + (self.t - 1000.0)

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.t += seconds


def make_ctx(settings, clock: FakeClock | None = None, **options: Any):
    """A FetchContext over ``settings`` with an HttpClient on the fake clock."""
    from ingest import FetchContext
    from ingest.http import HttpClient
    from kb.raw import RawCache

    clock = clock or FakeClock()
    client = HttpClient(settings, clock=clock.clock, sleep=clock.sleep, wall=clock.wall)
    return FetchContext(settings=settings, client=client, cache=RawCache(settings), options=options)


def run_source(name: str, targets: list[str], ctx) -> tuple[list, list]:
    """(records, failures) from one source run, in the order yielded."""
    from ingest import SOURCES, Failure

    records, failures = [], []
    for item in SOURCES[name].fetch(targets, ctx):
        (failures if isinstance(item, Failure) else records).append(item)
    return records, failures


def closed_port_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
