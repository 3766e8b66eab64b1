"""Pure rendering helpers shared by the pages: safe HTML, source links, intervals, charts.

Everything here is a function of kb.models records (or plain values) and returns strings,
DataFrames or Altair charts, so it is unit-tested without a running app. The one rule that
matters most: document text is untrusted. It is ``html.escape``d *before* the quote is wrapped
in ``<mark>``, and it is only ever shown through these helpers.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote as url_quote
from urllib.parse import urlparse

from kb.models import Document, Fact

_PMID = re.compile(r"^\d{1,9}$")
_NCT = re.compile(r"^NCT\d{8}$", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
# Paragraph breaks bound the context shown around a quote; sentence ends trim it when long.
_PARA = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

PASSAGE_STYLE = (
    "white-space: pre-wrap; line-height: 1.55; padding: 0.6rem 0.8rem; "
    "border-left: 3px solid #c9a227; background: rgba(250, 240, 200, 0.18); "
    "border-radius: 4px; font-size: 0.95rem"
)
MARK_STYLE = "background: #ffe08a; color: #1b1b1b; padding: 0 2px; border-radius: 2px"


# --- safe text -------------------------------------------------------------------------------


def escape(text: str | None) -> str:
    """HTML-escape untrusted text (quotes included, so it is safe inside attributes too)."""
    return html.escape(text or "", quote=True)


def highlight(text: str, start: int | None, end: int | None) -> str:
    """``text`` as escaped HTML with ``text[start:end]`` wrapped in ``<mark>``.

    Offsets outside the text (or missing) give the escaped text without a mark. The three
    pieces are escaped separately, so an entity is never split by the mark.
    """
    if start is None or end is None or not (0 <= start < end <= len(text)):
        return escape(text)
    return (
        escape(text[:start])
        + f'<mark style="{MARK_STYLE}">'
        + escape(text[start:end])
        + "</mark>"
        + escape(text[end:])
    )


def context_window(text: str, start: int, end: int, max_chars: int = 900) -> tuple[int, int]:
    """The span of ``text`` to show around ``[start, end)``: its paragraph, trimmed to whole
    sentences when the paragraph is longer than ``max_chars``. Always contains the quote."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    lo = 0
    for m in _PARA.finditer(text, 0, start):
        lo = m.end()
    m = _PARA.search(text, end)
    hi = m.start() if m else len(text)
    budget = max(0, max_chars - (end - start))
    if (start - lo) + (hi - end) > budget:
        left = max(lo, start - budget // 2)
        right = min(hi, end + budget // 2)
        # Snap outward-trimmed edges to sentence boundaries so the context reads cleanly.
        if left > lo:
            cut = [b.end() for b in _SENTENCE_END.finditer(text, left, start)]
            left = cut[0] if cut else left
        if right < hi:
            cut = [b.start() for b in _SENTENCE_END.finditer(text, end, right)]
            right = cut[-1] if cut else right
        lo, hi = left, right
    return lo, hi


def quote_in_context(text: str, start: int, end: int, quote: str | None = None, max_chars: int = 900) -> str:
    """Escaped HTML of the paragraph around a quote, the quote marked.

    When the offsets do not point at ``quote`` (a stale offset after a re-parse), the quote is
    looked up by its text; when it cannot be found at all, the quote alone is shown, marked.
    """
    if quote and text[start:end] != quote:
        found = text.find(quote)
        if found < 0:
            return f'<mark style="{MARK_STYLE}">{escape(quote)}</mark>'
        start, end = found, found + len(quote)
    lo, hi = context_window(text, start, end, max_chars)
    prefix = "… " if lo > 0 else ""
    suffix = " …" if hi < len(text) else ""
    return escape(prefix) + highlight(text[lo:hi], start - lo, end - lo) + escape(suffix)


def passage_html(inner_html: str) -> str:
    """Wrap already-escaped passage HTML in the evidence box."""
    return f'<div class="kb-passage" style="{PASSAGE_STYLE}">{inner_html}</div>'


# --- sources ---------------------------------------------------------------------------------


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) URL, else None (never a javascript: or data: link)."""
    if not url:
        return None
    url = url.strip()
    parsed = urlparse(url)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        return None
    if any(c in url for c in ' "<>\n\r\t`'):
        return None
    return url


def source_links(doc: Document | None = None, *, doc_id: str | None = None) -> list[tuple[str, str]]:
    """(label, url) pairs for a document: PubMed, DOI, ClinicalTrials.gov, its own URL.

    Identifiers are validated before they become links; the labels are identifiers only, so
    they are safe to put in Markdown.
    """
    links: list[tuple[str, str]] = []
    pmid = doc.pmid if doc else None
    doi = doc.doi if doc else None
    registry = list(doc.registry_ids) if doc else []
    ident = doc.id if doc else (doc_id or "")
    # A document id carries its source ('pmid:…', 'nct:NCT…', 'doi:…'): use it when fields are empty.
    prefix, _, rest = ident.partition(":")
    if prefix == "pmid" and not pmid:
        pmid = rest
    elif prefix == "doi" and not doi:
        doi = rest
    elif prefix == "nct" and rest.upper() not in {r.upper() for r in registry}:
        registry.append(rest)
    if pmid and _PMID.match(pmid.strip()):
        links.append((f"PubMed {pmid.strip()}", f"https://pubmed.ncbi.nlm.nih.gov/{pmid.strip()}/"))
    if doi:
        d = doi.strip().removeprefix("https://doi.org/").removeprefix("doi:")
        if _DOI.match(d):
            links.append((f"DOI {_md_safe(d)}", "https://doi.org/" + url_quote(d, safe="/:;()._-")))
    seen: set[str] = set()
    for rid in registry:
        r = rid.strip().removeprefix("nct:").upper()
        if _NCT.match(r) and r not in seen:
            seen.add(r)
            links.append((f"ClinicalTrials.gov {r}", f"https://clinicaltrials.gov/study/{r}"))
    url = safe_url(doc.url if doc else None)
    if url and all(url != u for _, u in links):
        links.append(("Web page", url))
    return links


def _md_safe(label: str) -> str:
    """Drop the characters that would break out of a Markdown link label."""
    return re.sub(r"[\[\]()<>*_`\\|]", "", label)


def links_markdown(links: Sequence[tuple[str, str]]) -> str:
    """Markdown for validated source links (labels are identifiers, URLs validated)."""
    return " · ".join(f"[{label}]({url})" for label, url in links)


def shorten(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters (an ellipsis marks a cut)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def doc_label(doc: Document | None, doc_id: str) -> str:
    """A short human label: title (truncated) and year, else the id."""
    if doc is None:
        return doc_id
    title = doc.title.strip() or doc_id
    if len(title) > 110:
        title = title[:107].rstrip() + "…"
    return f"{title} ({doc.year})" if doc.year else title


# --- numbers ---------------------------------------------------------------------------------


def wilson_interval(n: int, total: int, z: float = 1.959964) -> tuple[float, float]:
    """95% Wilson score interval for n/total, as proportions in [0, 1]."""
    if total <= 0:
        raise ValueError("denominator must be positive")
    n = max(0, min(n, total))
    p = n / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def format_number(value: float | None) -> str:
    """Compact number: 83 -> '83', 0.5 -> '0.5', 8e8 -> '8×10⁸'."""
    if value is None:
        return ""
    if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-3):
        exp = int(math.floor(math.log10(abs(value))))
        mant = value / 10**exp
        sup = str(exp).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
        m = f"{mant:.2f}".rstrip("0").rstrip(".")
        return f"{m}×10{sup}"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.3g}"


def format_fact_value(fact: Any) -> str:
    """'> 70 %', '83 % (10/12)', '0.8×10⁹ cells', '3 participants' for a Fact or TrialValue."""
    parts: list[str] = []
    comparator = getattr(fact, "comparator", "=") or "="
    value = getattr(fact, "value", None)
    unit = getattr(fact, "unit", None)
    n = getattr(fact, "n", None)
    den = getattr(fact, "denominator", None)
    if value is not None:
        text = format_number(value)
        if comparator != "=":
            text = f"{comparator} {text}"
        if unit:
            text += "%" if unit == "%" else f" {unit}"
        parts.append(text)
    if n is not None and den:
        parts.append(f"({n}/{den})" if parts else f"{n}/{den}")
    elif n is not None and value is None:
        parts.append(f"n = {n}")
    if getattr(fact, "negated", False):
        parts.insert(0, "not:")
    return " ".join(parts) or "reported"


def fact_summary(fact: Fact) -> str:
    """One line describing a fact: kind, name/label, group, timepoint, value."""
    name = fact.label if fact.name == "other" and fact.label else fact.name
    bits = [name.replace("_", " ")]
    if fact.group:
        bits.append(f"[{fact.group}]")
    if fact.timepoint:
        bits.append(f"@ {fact.timepoint}")
    value = format_fact_value(fact)
    text = " ".join(bits)
    return f"{text}: {value}" if value != "reported" else text


# --- charts ----------------------------------------------------------------------------------


def proportion_rows(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for the proportion chart from dicts with therapy, outcome, trial, value, n,
    denominator, source. A row keeps its Wilson 95% interval when n/N is known; a value
    without counts is still plotted (as a point with no bar)."""
    rows: list[dict[str, Any]] = []
    for it in items:
        n, den, value = it.get("n"), it.get("denominator"), it.get("value")
        if den and n is not None and 0 <= n <= den:
            lo, hi = wilson_interval(int(n), int(den))
            pct = 100.0 * n / den if value is None else float(value)
            rows.append({**it, "percent": pct, "ci_low": 100 * lo, "ci_high": 100 * hi,
                         "n_over_N": f"{n}/{den}", "ci": f"{100 * lo:.0f}–{100 * hi:.0f}%"})
        elif value is not None and it.get("unit") == "%":
            rows.append({**it, "percent": float(value), "ci_low": None, "ci_high": None,
                         "n_over_N": "n/N not reported", "ci": "not computable"})
    return rows


def proportion_chart(rows: list[dict[str, Any]]):
    """Points (percent) with Wilson 95% error bars per trial, one row of the chart per outcome."""
    import altair as alt
    import pandas as pd

    df = pd.DataFrame(rows)
    df["counts"] = df["ci_low"].notna().map({True: "n/N reported", False: "no n/N"})
    tooltip = [
        alt.Tooltip("therapy:N", title="therapy"),
        alt.Tooltip("outcome:N", title="outcome"),
        alt.Tooltip("trial:N", title="trial"),
        alt.Tooltip("percent:Q", title="value (%)", format=".0f"),
        alt.Tooltip("n_over_N:N", title="n/N"),
        alt.Tooltip("ci:N", title="95% Wilson CI"),
        alt.Tooltip("source:N", title="source"),
    ]
    base = alt.Chart().encode(
        y=alt.Y("trial:N", title=None, axis=alt.Axis(labelLimit=260)),
        color=alt.Color("therapy:N", title="therapy"),
    )
    bars = base.transform_filter("isValid(datum.ci_low)").mark_rule(strokeWidth=2).encode(
        x=alt.X("ci_low:Q", title="participants (%) with 95% Wilson interval",
                scale=alt.Scale(domain=[0, 100])),
        x2="ci_high:Q",
        tooltip=tooltip,
    )
    points = base.mark_point(filled=True, size=90).encode(
        x=alt.X("percent:Q", scale=alt.Scale(domain=[0, 100])),
        shape=alt.Shape("counts:N", title="interval",
                        scale=alt.Scale(domain=["n/N reported", "no n/N"], range=["circle", "diamond"])),
        tooltip=tooltip,
    )
    chart = alt.layer(bars, points, data=df).facet(
        row=alt.Row("outcome:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left",
                                                                 labelFontWeight="bold")),
    )
    return chart.resolve_scale(y="independent").properties(title="Proportions per trial")


def dose_chart(rows: list[dict[str, Any]]):
    """Dose (log scale) against outcome value, one point per trial arm; rows carry therapy,
    group, dose, dose_unit, outcome, percent, n_over_N, source."""
    import altair as alt
    import pandas as pd

    df = pd.DataFrame(rows)
    return (
        alt.Chart(df)
        .mark_circle(size=110, opacity=0.85)
        .encode(
            x=alt.X("dose:Q", scale=alt.Scale(type="log"), title="dose (" + ", ".join(sorted(set(df["dose_unit"])) ) + ")"),
            y=alt.Y("percent:Q", title="outcome (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("therapy:N"),
            shape=alt.Shape("outcome:N"),
            tooltip=["therapy:N", "group:N", "dose_label:N", "outcome:N",
                     alt.Tooltip("percent:Q", format=".0f", title="value (%)"),
                     alt.Tooltip("n_over_N:N", title="n/N"), "source:N"],
        )
        .properties(title="Dose against outcome", height=280)
    )
