"""Identifier recognition and normalisation shared by every parser.

Normal form (also used by `Document.cites` and `Document.registry_ids`):
``doi:10.1056/nejmoa2506549`` (lower case), ``pmid:40544428``, ``pmcid:PMC8714853``,
``nct:NCT04786262``, ``isrctn:ISRCTN12345678``, ``chictr:ChiCTR2300072200``,
``eudract:2015-001894-41``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# DOI: "10." + registrant + "/" + suffix; the suffix ends before whitespace, quotes or angle
# brackets, and trailing sentence punctuation is trimmed afterwards.
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"'<>\]\[{}|\\^`]+)", re.IGNORECASE)
_NCT = re.compile(r"\bNCT\s?(\d{8})\b", re.IGNORECASE)
_ISRCTN = re.compile(r"\bISRCTN\s?(\d{8})\b", re.IGNORECASE)
_CHICTR = re.compile(r"\bChiCTR[-‐]?([A-Z]{0,5}-?\d{6,12})\b", re.IGNORECASE)
_EUDRACT = re.compile(r"\b(?:EudraCT|EU\s?CT)(?:\s+(?:number|no\.?|n°))?[\s:#]*(\d{4}-\d{6}-\d{2})\b",
                      re.IGNORECASE)
_EUDRACT_BARE = re.compile(r"^\d{4}-\d{6}-\d{2}$")
# PMIDs are only trusted with a label: a bare 8-digit number is too often something else.
_PMID = re.compile(r"\b(?:PMID|PubMed\s+ID|pubmed)\s*[:#]?\s*(\d{1,9})\b", re.IGNORECASE)
_PMCID = re.compile(r"\b(PMC\d{4,10})\b")
_TRAILING = ".,;:)]}>'\""


def norm_doi(doi: str) -> str | None:
    """'https://doi.org/10.1056/NEJMoa2506549.' -> '10.1056/nejmoa2506549' (None if not a DOI)."""
    m = _DOI.search(doi.strip())
    if not m:
        return None
    value = m.group(1).rstrip(_TRAILING)
    # A DOI suffix may contain balanced parentheses, e.g. 10.1016/0005-2795(76)90109-4.
    while value.count("(") < value.count(")") and value.endswith(")"):
        value = value[:-1]
    return value.lower()


def normalise_id(raw: str) -> str | None:
    """One identifier in any common spelling -> its prefixed normal form, or None.

    Accepts prefixed forms ('doi:…', 'pmid:…', 'nct:…'), bare NCT/ISRCTN/ChiCTR/PMC ids, DOIs
    and doi.org URLs, and bare EudraCT numbers.
    """
    s = raw.strip()
    if not s:
        return None
    prefix, _, rest = s.partition(":")
    p = prefix.strip().lower()
    if rest and p in {"doi", "pmid", "pmcid", "pmc", "nct", "isrctn", "chictr", "eudract"}:
        rest = rest.strip()
        if p == "doi":
            d = norm_doi(rest)
            return f"doi:{d}" if d else None
        if p == "pmid":
            return f"pmid:{int(rest)}" if rest.isdigit() else None
        if p in {"pmcid", "pmc"}:
            digits = rest.upper().removeprefix("PMC")
            return f"pmcid:PMC{digits}" if digits.isdigit() else None
        if p == "eudract":
            return f"eudract:{rest}" if _EUDRACT_BARE.match(rest) else None
        return normalise_id(rest)
    if m := _NCT.fullmatch(s):
        return f"nct:NCT{m.group(1)}"
    if m := _ISRCTN.fullmatch(s):
        return f"isrctn:ISRCTN{m.group(1)}"
    if m := _CHICTR.fullmatch(s):
        return f"chictr:ChiCTR{m.group(1).upper()}"
    if _EUDRACT_BARE.match(s):
        return f"eudract:{s}"
    if re.fullmatch(r"PMC\d{4,10}", s, re.IGNORECASE):
        return f"pmcid:PMC{s[3:]}"
    if s.isdigit():
        return f"pmid:{int(s)}"
    d = norm_doi(s)
    return f"doi:{d}" if d else None


def find_ids(text: str) -> list[str]:
    """Every identifier mentioned in free text, normalised, in order of first appearance."""
    found: list[tuple[int, str]] = []
    for m in _DOI.finditer(text):
        d = norm_doi(m.group(1))
        if d:
            found.append((m.start(), f"doi:{d}"))
    for m in _NCT.finditer(text):
        found.append((m.start(), f"nct:NCT{m.group(1)}"))
    for m in _ISRCTN.finditer(text):
        found.append((m.start(), f"isrctn:ISRCTN{m.group(1)}"))
    for m in _CHICTR.finditer(text):
        found.append((m.start(), f"chictr:ChiCTR{m.group(1).upper()}"))
    for m in _EUDRACT.finditer(text):
        found.append((m.start(), f"eudract:{m.group(1)}"))
    for m in _PMID.finditer(text):
        found.append((m.start(), f"pmid:{int(m.group(1))}"))
    for m in _PMCID.finditer(text):
        found.append((m.start(), f"pmcid:{m.group(1)}"))
    return unique(i for _, i in sorted(found))


def registry_name(norm: str) -> str:
    """'nct:NCT04786262' -> 'NCT04786262' (the FACTS.md registry_id fact name, upper case)."""
    kind, _, value = norm.partition(":")
    return value.upper() if kind in {"nct", "isrctn", "eudract"} else value


def unique(items: Iterable[str | None]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        if item and item not in seen:
            seen[item] = None
    return list(seen)


def cites_of(text: str, *extra: Iterable[str | None], own: Iterable[str | None] = ()) -> list[str]:
    """Ids cited by a document: metadata ids (``extra``, any spelling) then ids found in the
    text, normalised, de-duplicated, without the document's own ids (``own``)."""
    own_norm = {normalise_id(o) for o in own if o}
    meta = [normalise_id(i) for group in extra for i in group if i]
    return [i for i in unique([*meta, *find_ids(text)]) if i not in own_norm]
