"""ClinicalTrials.gov API v2 study JSON -> a registry Document with registry facts.

The document text is built from the record's fields as readable lines (title, ids, phase,
enrollment, summary, arms with their interventions, planned outcomes, participant flow,
results, adverse events per event group). Structured fields become facts directly
(``method="registry"``), each quoting the line it was written to, so ``text[start:end] ==
quote`` holds for registry facts exactly as for text facts.

Quirks handled:
- the id inside the record is the truth (a file may be named after another study);
- the retired classic API (``FullStudiesResponse``) is rejected with a clear message;
- counts arrive as strings in results modules ("158") and as ints in adverse events;
- ``phases: ["NA"]`` (not applicable) gives no phase fact;
- a v2 search page (``{"studies": [...]}``) gives one document per study.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from kb.models import Document, Fact
from kb.nlp import lexicon
from kb.parse.common import Ctx, ParseError, TextBuilder, clean_ws
from kb.parse.ids import cites_of, normalise_id, registry_name, unique

log = logging.getLogger(__name__)

V1_MESSAGE = ("is the retired ClinicalTrials.gov classic (v1) format; fetch the study from "
              "API v2 (https://clinicaltrials.gov/api/v2/studies/NCT…)")
_V1_KEYS = {"FullStudiesResponse", "StudyFieldsResponse", "FullStudy", "Study"}
_PHASE = {"EARLY_PHASE1": "1", "PHASE1": "1", "PHASE2": "2", "PHASE3": "3", "PHASE4": "4"}
# Units as FACTS.md spells them, by their lower-case registry spelling.
_UNITS = {u.lower(): u for u in (
    "participants", "cells", "cells/kg", "IEQ", "IEQ/kg", "mg", "mg/kg", "mg/day", "µg", "IU",
    "IU/kg", "mL", "devices", "%", "percentage points", "mg/dL", "mmol/L", "mmol/mol", "kg",
    "pmol/L", "ng/mL", "days", "weeks", "months", "years")}
_PERCENT_UNITS = re.compile(r"^(percent(age)?( of)?( (participants|subjects|patients))?|%)$",
                            re.IGNORECASE)


def _therapy_aliases() -> dict[str, str]:
    """The lexicon's lower-case alias -> generic therapy name map."""
    return {k.lower(): v.lower() for k, v in lexicon.therapy_aliases().items()}


def _outcome_synonyms() -> list[tuple[str, str]]:
    """(lower-case synonym, outcome name) pairs, longest synonym first."""
    pairs = []
    for name, info in lexicon.outcome_vocabulary().items():
        if name == "other":
            continue
        for syn in [name.replace("_", " "), *((info or {}).get("synonyms") or [])]:
            if syn and len(syn) >= 4:
                pairs.append((syn.lower(), name))
    return sorted(pairs, key=lambda p: -len(p[0]))


def is_v1(obj: Any) -> bool:
    return isinstance(obj, dict) and bool(_V1_KEYS & set(obj)) and "protocolSection" not in obj


def parse_ctgov(obj: Any, ctx: Ctx) -> list[Document]:
    """One study object, a list of them, or a v2 search page -> registry documents."""
    if is_v1(obj):
        raise ctx.error(V1_MESSAGE)
    if isinstance(obj, dict) and "protocolSection" in obj:
        return [_study(obj, ctx)]
    studies = obj.get("studies") if isinstance(obj, dict) else obj
    if not isinstance(studies, list) or not studies:
        raise ctx.error("not a ClinicalTrials.gov API v2 study (no protocolSection)")
    docs, errors = [], []
    for i, study in enumerate(studies):
        try:
            if not isinstance(study, dict) or "protocolSection" not in study:
                raise ctx.error(f"study #{i + 1} has no protocolSection")
            docs.append(_study(study, ctx))
        except ParseError as exc:
            log.warning("%s", exc)
            errors.append(str(exc))
    if not docs:
        raise ctx.error("no readable study: " + "; ".join(errors[:3]))
    return docs


def _s(v: Any) -> str:
    return clean_ws(str(v)) if v is not None else ""


def _int(v: Any) -> int | None:
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return None


def _float(v: Any) -> float | None:
    try:
        return float(str(v).strip().replace(",", ""))
    except (TypeError, ValueError):
        return None


def _fmt_num(v: Any) -> str:
    return _s(v)


class _Builder:
    """TextBuilder + facts that quote the line they were written to."""

    def __init__(self, doc_id: str):
        self.doc_id = doc_id
        self.out = TextBuilder()
        self.facts: list[Fact] = []

    def line(self, text: str, sep: str = "\n") -> tuple[str, int, int]:
        text = clean_ws(text)
        start, end = self.out.add(text, sep=sep)
        return text, start, end

    def heading(self, title: str) -> None:
        self.out.begin(title)
        self.line(title, sep="\n\n")

    def fact(self, span: tuple[str, int, int], kind: str, name: str, rule: str, **kw: Any) -> None:
        quote, start, end = span
        self.facts.append(Fact(doc=self.doc_id, kind=kind, name=name, quote=quote, start=start,
                               end=end, method="registry", rule=rule, confidence=1.0, **kw))


def _study(study: dict, ctx: Ctx) -> Document:
    proto = study.get("protocolSection") or {}
    if not isinstance(proto, dict):
        raise ctx.error("protocolSection is not an object")
    ident = proto.get("identificationModule") or {}
    nct = _s(ident.get("nctId")).upper()
    if not re.fullmatch(r"NCT\d{8}", nct):
        raise ctx.error(f"study without a valid nctId ({nct!r})")
    doc_id = f"nct:{nct}"
    b = _Builder(doc_id)
    aliases = _therapy_aliases()

    status = proto.get("statusModule") or {}
    sponsor = (proto.get("sponsorCollaboratorsModule") or {}).get("leadSponsor") or {}
    design = proto.get("designModule") or {}
    desc = proto.get("descriptionModule") or {}
    title = _s(ident.get("briefTitle")) or _s(ident.get("officialTitle")) or nct

    # --- overview ------------------------------------------------------------------------
    b.out.begin("overview")
    b.line(title)
    if ident.get("officialTitle") and _s(ident["officialTitle"]) != title:
        b.line(f"Official title: {_s(ident['officialTitle'])}")
    span = b.line(f"ClinicalTrials.gov id: {nct}")
    b.fact(span, "registry_id", nct, "ctgov:nctId")
    registry = [doc_id]
    for sec in ident.get("secondaryIdInfos") or []:
        sid, stype = _s(sec.get("id")), _s(sec.get("type")).upper()
        norm = None
        if stype == "EUDRACT_NUMBER":
            norm = normalise_id(f"eudract:{sid}")
        elif stype in {"REGISTRY", "OTHER"}:
            cand = normalise_id(sid)
            norm = cand if cand and cand.split(":")[0] in {"nct", "isrctn", "chictr",
                                                           "eudract"} else None
        if norm and norm not in registry:
            label = _s(sec.get("domain")) or stype.replace("_", " ").lower()
            span = b.line(f"Other registry id: {sid} ({label})")
            b.fact(span, "registry_id", registry_name(norm), "ctgov:secondaryIdInfos")
            registry.append(norm)
    if ident.get("acronym"):
        b.line(f"Acronym: {_s(ident['acronym'])}")
    if sponsor.get("name"):
        b.line(f"Sponsor: {_s(sponsor['name'])}")
    dates = []
    for key, label in (("startDateStruct", "start"), ("primaryCompletionDateStruct",
                                                       "primary completion"),
                       ("completionDateStruct", "completion")):
        d = (status.get(key) or {}).get("date")
        if d:
            dates.append(f"{label} {d}")
    if status.get("overallStatus"):
        b.line(f"Status: {_s(status['overallStatus']).replace('_', ' ').lower()}"
               + (f"; {', '.join(dates)}" if dates else ""))
    conditions = (proto.get("conditionsModule") or {}).get("conditions") or []
    if conditions:
        b.line("Conditions: " + "; ".join(_s(c) for c in conditions))
    if design.get("studyType"):
        b.line(f"Study type: {_s(design['studyType']).replace('_', ' ').lower()}")
    phases = [_s(p).upper() for p in design.get("phases") or []]
    if phases:
        nums = sorted({_PHASE[p] for p in phases if p in _PHASE}, key=int)
        phase = "/".join(nums) if nums else None
        written = ", ".join(phases)
        if phase:
            span = b.line(f"Phase: {phase} ({written})")
            b.fact(span, "phase", phase, "ctgov:designModule.phases")
        else:
            b.line(f"Phase: not applicable ({written})")
    enrol = design.get("enrollmentInfo") or {}
    count = _int(enrol.get("count"))
    if count is not None:
        kind = _s(enrol.get("type")).lower()
        span = b.line(f"Enrollment: {count} participants" + (f" ({kind})" if kind else ""))
        b.fact(span, "sample_size", "participants", "ctgov:enrollmentInfo", value=float(count),
               unit="participants")
    b.out.end()

    for key, head in (("briefSummary", "Brief summary"), ("detailedDescription",
                                                          "Detailed description")):
        if desc.get(key):
            b.heading(head)
            for para in re.split(r"\n\s*\n", str(desc[key]).strip()):
                if para.strip():
                    b.line(para)
            b.out.end()

    _arms(b, proto.get("armsInterventionsModule") or {}, aliases)
    _planned_outcomes(b, proto.get("outcomesModule") or {})

    elig = (proto.get("eligibilityModule") or {}).get("eligibilityCriteria")
    if elig:
        b.heading("Eligibility")
        for para in str(elig).strip().splitlines():
            if para.strip():
                b.line(para)
        b.out.end()

    results = study.get("resultsSection") or {}
    flow_counts = _participant_flow(b, results.get("participantFlowModule") or {})
    _outcome_results(b, results.get("outcomeMeasuresModule") or {})
    _adverse_events(b, results.get("adverseEventsModule") or {}, add_sizes=not flow_counts)

    refs = (proto.get("referencesModule") or {}).get("references") or []
    ref_ids: list[str | None] = []
    if refs:
        b.heading("References")
        for ref in refs:
            pmid = _s(ref.get("pmid"))
            citation = _s(ref.get("citation"))
            if pmid.isdigit():
                ref_ids.append(f"pmid:{pmid}")
            if citation or pmid:
                kind = _s(ref.get("type")).lower()
                b.line(f"Reference ({kind or 'other'}): {citation}"
                       + (f" PMID {pmid}" if pmid else ""))
        b.out.end()
    expanded = (status.get("expandedAccessInfo") or {}).get("nctId")
    if expanded:
        ref_ids.append(normalise_id(str(expanded)))

    text = ctx.check_text(b.out.text)
    start = (status.get("startDateStruct") or {}).get("date") or ""
    year = int(start[:4]) if start[:4].isdigit() else None
    first_post = (status.get("studyFirstPostDateStruct") or {}).get("date")
    officials = (proto.get("contactsLocationsModule") or {}).get("overallOfficials") or []
    return Document(
        id=doc_id, source=ctx.source, source_type="registry", title=title, text=text,
        sections=b.out.sections, registry_ids=unique(registry), year=year, published=first_post,
        authors=[_s(o.get("name")) for o in officials if o.get("name")],
        url=f"https://clinicaltrials.gov/study/{nct}",
        cites=cites_of(text, ref_ids, own=registry), raw_path=ctx.raw_path, facts=b.facts,
    )


def _generic(name: str, other_names: list[str], aliases: dict[str, str]) -> tuple[str, list[str]]:
    """Lower-case generic name for an intervention, plus its other names as aliases."""
    base = clean_ws(name).lower()
    others = [clean_ws(o).lower() for o in other_names if o]
    for cand in [base, *others]:
        if cand in aliases:
            generic = aliases[cand]
            return generic, unique([n for n in [base, *others] if n != generic])
    return base, others


def _arms(b: _Builder, module: dict, aliases: dict[str, str]) -> None:
    arms = module.get("armGroups") or []
    interventions = module.get("interventions") or []
    if not arms and not interventions:
        return
    by_name = {clean_ws(_s(i.get("name"))).lower(): i for i in interventions}
    b.heading("Arms and interventions")
    for arm in arms:
        label = _s(arm.get("label"))
        kind = _s(arm.get("type")).replace("_", " ").lower()
        names = [_s(n) for n in arm.get("interventionNames") or []]
        line = f"Arm {label}" + (f" ({kind})" if kind else "") + ": " \
            + ("; ".join(names) if names else "no intervention listed")
        if arm.get("description"):
            line += f". {_s(arm['description'])}"
        span = b.line(line)
        for full in names:
            # "Drug: repaglinide" -> "repaglinide"
            name = full.split(":", 1)[1] if ":" in full else full
            info = by_name.get(clean_ws(name).lower(), {})
            generic, other = _generic(name, info.get("otherNames") or [], aliases)
            b.fact(span, "intervention", generic, "ctgov:armGroups.interventionNames",
                   group=label or None, aliases=other or None)
    for itv in interventions:
        name = _s(itv.get("name"))
        kind = _s(itv.get("type")).replace("_", " ").lower()
        other = [_s(o) for o in itv.get("otherNames") or []]
        line = f"Intervention: {name}" + (f" ({kind})" if kind else "")
        if other:
            line += f"; other names: {', '.join(other)}"
        if itv.get("description"):
            line += f". {_s(itv['description'])}"
        span = b.line(line)
        if not arms:
            # No arm groups (single-group or observational records): the trial as a whole.
            generic, aliases_ = _generic(name, other, aliases)
            b.fact(span, "intervention", generic, "ctgov:interventions", aliases=aliases_ or None)
    b.out.end()


def _planned_outcomes(b: _Builder, module: dict) -> None:
    rows = [("Primary", o) for o in module.get("primaryOutcomes") or []] + \
           [("Secondary", o) for o in module.get("secondaryOutcomes") or []]
    if not rows:
        return
    b.heading("Planned outcome measures")
    for kind, o in rows:
        line = f"{kind} outcome: {_s(o.get('measure'))}"
        if o.get("timeFrame"):
            line += f" (time frame: {_s(o['timeFrame'])})"
        b.line(line)
    b.out.end()


def _participant_flow(b: _Builder, module: dict) -> bool:
    groups = {g.get("id"): _s(g.get("title")) for g in module.get("groups") or []}
    periods = module.get("periods") or []
    if not groups or not periods:
        return False
    started = next((m for m in periods[0].get("milestones") or []
                    if _s(m.get("type")).upper() == "STARTED"), None)
    if not started:
        return False
    b.heading("Participant flow")
    added = False
    for ach in started.get("achievements") or []:
        n = _int(ach.get("numSubjects"))
        title = groups.get(ach.get("groupId"))
        if n is None or not title:
            continue
        span = b.line(f"Participant flow, {title}: {n} participants started")
        b.fact(span, "sample_size", "participants", "ctgov:participantFlow.STARTED",
               value=float(n), unit="participants", group=title)
        added = True
    b.out.end()
    return added


def _unit(raw: str) -> str | None:
    raw = clean_ws(raw)
    if not raw:
        return None
    if _PERCENT_UNITS.match(raw):
        return "%"
    return _UNITS.get(raw.lower(), raw)


def _outcome_name(title: str, synonyms: list[tuple[str, str]]) -> str:
    """The outcome vocabulary name a registry measure title states, else "other".
    "Change from baseline in X" is X's change outcome when the vocabulary has one."""
    low = title.lower()
    names = {n for _, n in synonyms}
    for syn, name in synonyms:
        if re.search(rf"(?<!\w){re.escape(syn)}(?!\w)", low):
            if re.search(r"\bchange\b", low) and f"{name}_change" in names:
                return f"{name}_change"
            return name
    return "other"


def _outcome_results(b: _Builder, module: dict) -> None:
    measures = module.get("outcomeMeasures") or []
    if not measures:
        return
    synonyms = _outcome_synonyms()
    b.heading("Outcome measures (results)")
    for m in measures:
        title = _s(m.get("title"))
        kind = _s(m.get("type")).lower() or "other"
        timeframe = _s(m.get("timeFrame")) or None
        unit_raw = _s(m.get("unitOfMeasure"))
        param = _s(m.get("paramType")).upper()
        disp = _s(m.get("dispersionType"))
        groups = {g.get("id"): _s(g.get("title")) for g in m.get("groups") or []}
        denoms: dict[str, int] = {}
        for d in (m.get("denoms") or [])[:1]:
            for c in d.get("counts") or []:
                v = _int(c.get("value"))
                if v is not None:
                    denoms[c.get("groupId")] = v
        header = f"{kind.capitalize()} outcome result: {title}"
        if timeframe:
            header += f" (time frame: {timeframe})"
        b.line(header, sep="\n\n")
        name = _outcome_name(title, synonyms)
        for cls in m.get("classes") or []:
            for cat in cls.get("categories") or []:
                sub = " ".join(t for t in (_s(cls.get("title")), _s(cat.get("title"))) if t)
                label = f"{title} — {sub}" if sub else title
                for meas in cat.get("measurements") or []:
                    gtitle = groups.get(meas.get("groupId"))
                    value = _float(meas.get("value"))
                    if not gtitle or value is None:
                        continue
                    denom = denoms.get(meas.get("groupId"))
                    kw: dict[str, Any] = {}
                    prefix = f"{title}" + (f", {sub}" if sub else "") + f", {gtitle}: "
                    if param == "COUNT_OF_PARTICIPANTS":
                        kw.update(n=int(value), denominator=denom)
                        line = prefix + f"{_fmt_num(meas.get('value'))}" \
                            + (f" of {denom}" if denom is not None else "") + " participants"
                    else:
                        unit = _unit(unit_raw)
                        kw.update(value=value, unit=unit)
                        line = prefix + f"{_fmt_num(meas.get('value'))} {unit_raw}".rstrip()
                        lo, hi = _float(meas.get("lowerLimit")), _float(meas.get("upperLimit"))
                        if lo is not None and hi is not None and "confidence" in disp.lower():
                            kw.update(ci_low=lo, ci_high=hi)
                            line += f" ({disp} {_fmt_num(meas['lowerLimit'])} to " \
                                    f"{_fmt_num(meas['upperLimit'])})"
                        elif meas.get("spread") is not None and disp:
                            line += f" ({disp} {_fmt_num(meas['spread'])})"
                        if param and param not in {"NUMBER"}:
                            line += f" [{param.replace('_', ' ').lower()}]"
                        if denom is not None:
                            line += f"; N={denom}"
                    if timeframe:
                        line += f"; time frame: {timeframe}"
                    span = b.line(line)
                    b.fact(span, "outcome", name, "ctgov:outcomeMeasures", group=gtitle,
                           timepoint=timeframe, label=label, **kw)
    b.out.end()


def _adverse_events(b: _Builder, module: dict, add_sizes: bool) -> None:
    groups = module.get("eventGroups") or []
    if not groups:
        return
    titles = {g.get("id"): _s(g.get("title")) for g in groups}
    b.heading("Adverse events")
    if module.get("timeFrame"):
        b.line(f"Adverse events time frame: {_s(module['timeFrame'])}")
    for g in groups:
        title = _s(g.get("title"))
        at_risk = _int(g.get("seriousNumAtRisk")) or _int(g.get("otherNumAtRisk")) \
            or _int(g.get("deathsNumAtRisk"))
        if add_sizes and at_risk is not None:
            span = b.line(f"Adverse event group {title}: {at_risk} participants at risk")
            b.fact(span, "sample_size", "participants", "ctgov:eventGroups.numAtRisk",
                   value=float(at_risk), unit="participants", group=title)
        deaths, deaths_risk = _int(g.get("deathsNumAffected")), _int(g.get("deathsNumAtRisk"))
        if deaths is not None:
            span = b.line(f"Deaths, {title}: {deaths}"
                          + (f" of {deaths_risk}" if deaths_risk is not None else "")
                          + " participants")
            b.fact(span, "adverse_event", "death", "ctgov:eventGroups.deaths", n=deaths,
                   denominator=deaths_risk, group=title, serious=True, negated=deaths == 0)
        ser, ser_risk = _int(g.get("seriousNumAffected")), _int(g.get("seriousNumAtRisk"))
        if ser is not None:
            span = b.line(f"Serious adverse events, {title}: {ser}"
                          + (f" of {ser_risk}" if ser_risk is not None else "")
                          + " participants affected")
            b.fact(span, "adverse_event", "serious adverse event", "ctgov:eventGroups.serious",
                   n=ser, denominator=ser_risk, group=title, serious=True, negated=ser == 0)
    for key, serious in (("seriousEvents", True), ("otherEvents", False)):
        for ev in module.get(key) or []:
            term = _s(ev.get("term"))
            if not term:
                continue
            organ = _s(ev.get("organSystem"))
            for st in ev.get("stats") or []:
                n = _int(st.get("numAffected"))
                title = titles.get(st.get("groupId"))
                if not title or not n:
                    # Zero-count rows only restate that an event did not occur in an arm.
                    continue
                risk = _int(st.get("numAtRisk"))
                events = _int(st.get("numEvents"))
                line = (f"{'Serious' if serious else 'Other'} adverse event, {title}: {term}"
                        + (f" ({organ})" if organ else "")
                        + f", {n}" + (f" of {risk}" if risk is not None else "")
                        + " participants affected"
                        + (f", {events} events" if events is not None else ""))
                span = b.line(line)
                b.fact(span, "adverse_event", term.lower(), f"ctgov:{key}", n=n,
                       denominator=risk, group=title, serious=serious)
    b.out.end()
