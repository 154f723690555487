"""One coherent plan from the rules' findings (issue #12).

The rules draft section by section and each is right on its own; read together they can
contradict each other (a withhold flag above "continue", two bone-targeted regimens, 8 Gy
and SBRT as two prescriptions for one lesion, monitoring for a drug that is not given).
``reconcile`` runs once after every rule, before the plan is sorted: it removes what a
stronger finding supersedes and folds alternatives into the item they are an
alternative to (``detail["alternatives"]``), so the board reads one recommendation per
decision. It only removes or merges findings; it never invents a clinical statement.
"""

from __future__ import annotations

from dataclasses import replace

from .common import JSONValue, Severity, Urgency, view
from .context import Context
from .plan import Flag, PlanItem

ZOL = "zoledronic_acid"
DMAB = "denosumab"
RA223 = "radium_223"
SR89 = "strontium_89"
SM153 = "samarium_153"

_ZOL_WITHHELD = frozenset({"BTA-ZOLEDRONIC-WITHHOLD", "BTA-ZOLEDRONIC-KEEP-WITHHOLDING"})
#: Superseded by a withhold: the regimen items of the withheld drug.
_ZOL_REGIMEN = frozenset({"BTA-ZOLEDRONIC-DOSE", "BTA-ZOLEDRONIC-INFUSION"})

#: Radiotherapy prescriptions for one lesion, the one to recommend first: after surgery
#: the post-operative course; cord compression before pain schedules; a re-irradiation
#: before a first-course schedule; complicated before uncomplicated; SBRT is the option
#: "if …" beside a conventional schedule.
RT_PRESCRIPTIONS: tuple[str, ...] = (
    "RT-POSTOP-MULTIFRACTION",
    "RT-MSCC",
    "RT-REIRRADIATION",
    "RT-MULTIFRACTION-COMPLICATED",
    "RT-NEUROPATHIC-20GY-5",
    "RT-SINGLE-8GY",
    "RT-SBRT-CONSIDER",
)
_RT_RANK = {code: i for i, code in enumerate(RT_PRESCRIPTIONS)}

#: Monitoring items and the agent they monitor.
MONITORING: dict[str, str] = {
    "BTA-ZOLEDRONIC-CREATININE-CHECK": ZOL,
    "BTA-DENOSUMAB-CALCIUM-CHECKS": DMAB,
    "RA223-FBC-BEFORE-EACH-DOSE": RA223,
    "SR89-FBC-EVERY-2-WEEKS": SR89,
    "SM153-FBC-WEEKLY-TO-WEEK-8": SM153,
}
#: Agent-specific warnings and the agent they are about.
AGENT_WARNINGS: dict[str, str] = {
    "BTA-DENOSUMAB-NO-ABRUPT-STOP": DMAB,
    "BTA-DENOSUMAB-STOP-VERTEBRAL-FRACTURES": DMAB,
    "BTA-DENOSUMAB-HYPOCALCAEMIA-RISK": DMAB,
    "BTA-HYPOCALCAEMIA-CORRECT-FIRST": DMAB,
    "BTA-ZOLEDRONIC-DOSE-MISMATCH": ZOL,
    "PIT-RENAL-RISK-ZOLEDRONIC": ZOL,
    "BTA-ZOLEDRONIC-NEPHROTOXIC-COMEDICATION": ZOL,
    "BTA-ZOLEDRONIC-OTHER-BISPHOSPHONATE": ZOL,
}
#: The item that drafts each agent.
DRAFTING: dict[str, str] = {
    ZOL: "BTA-ZOLEDRONIC-DOSE",
    DMAB: "BTA-DENOSUMAB-120MG",
    RA223: "RA223-55KBQ-Q4W-X6",
}


@view
class Reconciled:
    items: list[PlanItem]
    flags: list[Flag]


def _alternative(item: PlanItem, why: str, caveats: list[str] | None = None) -> JSONValue:
    alt: dict[str, JSONValue] = {
        "code": item.code,
        "title": item.title,
        "summary": item.detail.get("summary"),
        "why": why,
        "rationale": item.rationale,
    }
    if caveats:
        alt["caveats"] = list(caveats)
    return alt


def _with_alternatives(
    item: PlanItem, alternatives: list[JSONValue], **also: JSONValue
) -> PlanItem:
    """``item`` with ``alternatives`` added (and any ``also`` detail), rebuilt once."""
    before = item.detail.get("alternatives")
    merged = (list(before) if isinstance(before, list) else []) + alternatives
    return replace(item, detail={**item.detail, **also, "alternatives": merged})


def agents_in_play(ctx: Context, items: list[PlanItem], flags: list[Flag]) -> set[str]:
    """Agents running, or drafted and not contraindicated."""
    codes = {i.code for i in items}
    contraindicated = {f.code for f in flags if f.severity is Severity.CONTRAINDICATION}
    active = set()
    # The infusion item drafts zoledronic acid too while the dose waits for a creatinine.
    if (
        ctx.zol_active
        or not codes.isdisjoint(_ZOL_REGIMEN)
        or any(i.code == "BTA-CONTINUE" and i.detail.get("agent") == ZOL for i in items)
    ):
        active.add(ZOL)
    if ctx.dmab_active or DRAFTING[DMAB] in codes:
        active.add(DMAB)
    ra_contra = any(
        c.startswith(("RA223-EXCL", "RA223-HOLD", "RA223-STOP")) for c in contraindicated
    )
    if DRAFTING[RA223] in codes and not ra_contra:
        active.add(RA223)
    # Sr-89 / Sm-153: a dose given is in the body whatever is flagged now, so its blood-count
    # follow-up stands; a planned one is in play unless uptake is contraindicated (RAD-05).
    for c in ctx.facts.radioisotope_courses:
        if c.agent.value not in (SR89, SM153):
            continue
        dose = c.last_dose or c.first_dose
        if (dose is not None and dose <= ctx.as_of) or "SRSM-EXCL-NO-UPTAKE" not in contraindicated:
            active.add(c.agent.value)
    return active


def reconcile(ctx: Context, items: list[PlanItem], flags: list[Flag]) -> Reconciled:
    items, flags = _inconsistent_lesions(ctx, items, flags)
    items = _zoledronic_withheld(items, flags)
    items, flags = _one_bone_targeted_agent(ctx, items, flags)
    items = _one_rt_per_lesion(items)
    items = _one_radioisotope(items)
    items = _local_treatments_still_drafted(items)
    in_play = agents_in_play(ctx, items, flags)
    items = [i for i in items if MONITORING.get(i.code, "") in in_play or i.code not in MONITORING]
    flags = [f for f in flags if f.code not in AGENT_WARNINGS or AGENT_WARNINGS[f.code] in in_play]
    return Reconciled(items, flags)


def _inconsistent_lesions(
    ctx: Context, items: list[PlanItem], flags: list[Flag]
) -> tuple[list[PlanItem], list[Flag]]:
    """Contradictory facts at one level: no non-emergency plan for it (ASSESS-02 flags it)."""
    doubtful = {v.id for group in ctx.inconsistent_levels for v in group}
    if not doubtful:
        return items, flags

    def about_doubtful(item: PlanItem) -> bool:
        if item.urgency is Urgency.EMERGENCY:
            return False
        ids = item.detail.get("lesion_ids")
        if item.lesion_id is None and isinstance(ids, list) and ids:
            return all(i in doubtful for i in ids)
        return item.lesion_id in doubtful

    def keep_flag(flag: Flag) -> bool:
        return (
            flag.lesion_id not in doubtful
            or flag.code == "DATA-LESION-FACTS-INCONSISTENT"
            or flag.severity is not Severity.INFO
        )

    return [i for i in items if not about_doubtful(i)], [f for f in flags if keep_flag(f)]


def _zoledronic_withheld(items: list[PlanItem], flags: list[Flag]) -> list[PlanItem]:
    """A withhold supersedes continue and the regimen: one item remains, the creatinine
    recheck, carrying the withhold and the resume criterion."""
    withhold = next((f for f in flags if f.code in _ZOL_WITHHELD), None)
    if withhold is None:
        return items
    out: list[PlanItem] = []
    for i in items:
        if i.code in _ZOL_REGIMEN or (i.code == "BTA-CONTINUE" and i.detail.get("agent") == ZOL):
            continue
        if i.code == "BTA-ZOLEDRONIC-CREATININE-CHECK":
            i = replace(
                i,
                rationale=f"{withhold.message} Recheck creatinine before any further dose; "
                "resume only when it is back within 10 % of baseline, at the dose used "
                "before the interruption (Zometa label).",
                detail={
                    **i.detail,
                    "withheld": True,
                    "summary": "Zoledronic acid withheld: recheck creatinine; resume within "
                    "10 % of baseline",
                },
            )
        out.append(i)
    return out


def _one_bone_targeted_agent(
    ctx: Context, items: list[PlanItem], flags: list[Flag]
) -> tuple[list[PlanItem], list[Flag]]:
    """Starting a BTA with both agents drafted: zoledronic acid is recommended (the agent is
    chosen by renal function and both are suitable here), denosumab is its alternative,
    with its own conditions as caveats."""
    dmab = next((i for i in items if i.code == "BTA-DENOSUMAB-120MG"), None)
    zol_drafted = any(i.code in _ZOL_REGIMEN for i in items)
    if dmab is None or not zol_drafted or ctx.dmab_active or ctx.zol_active:
        return items, flags
    anchor = next((i for i in items if i.code == "BTA-START"), None)
    if anchor is None:
        return items, flags
    caveats = [f.message for f in flags if AGENT_WARNINGS.get(f.code) == DMAB]
    alt = _alternative(
        dmab,
        "Denosumab instead of zoledronic acid: no renal dose adjustment and it delayed the "
        "first skeletal event longer in trials; it needs calcium checks and must not be "
        "stopped abruptly.",
        caveats,
    )
    out: list[PlanItem] = []
    for i in items:
        if i.code in ("BTA-DENOSUMAB-120MG", "BTA-DENOSUMAB-CALCIUM-CHECKS"):
            continue
        if i is anchor:
            i = _with_alternatives(i, [alt], recommended_agent=ZOL)
        out.append(i)
    return out, [f for f in flags if AGENT_WARNINGS.get(f.code) != DMAB]


def _one_rt_per_lesion(items: list[PlanItem]) -> list[PlanItem]:
    """Per lesion one radiotherapy prescription; the others become its alternatives."""
    by_lesion: dict[str | None, list[PlanItem]] = {}
    for i in items:
        if i.code in _RT_RANK:
            by_lesion.setdefault(i.lesion_id, []).append(i)
    primary: dict[str | None, PlanItem] = {}
    dropped: set[int] = set()
    for lesion_id, rx in by_lesion.items():
        if len(rx) < 2:
            continue
        ranked = sorted(rx, key=lambda i: _RT_RANK[i.code])
        first, rest = ranked[0], ranked[1:]
        alts = [
            _alternative(
                r,
                "SBRT instead, if the board confirms the criteria in its rationale"
                if r.code == "RT-SBRT-CONSIDER"
                else f"{r.title} instead",
            )
            for r in rest
        ]
        primary[lesion_id] = _with_alternatives(first, alts)
        dropped.update(id(r) for r in rest)
    if not primary:
        return items
    return [
        primary[i.lesion_id] if i.code in _RT_RANK and i.lesion_id in primary else i
        for i in items
        if id(i) not in dropped
    ]


def _one_radioisotope(items: list[PlanItem]) -> list[PlanItem]:
    """Radium-223 and Sr-89/Sm-153 both drafted: one bone-seeking radionuclide is given, not
    both side by side (RAD-08), so radium-223 — with its survival benefit in mCRPC
    (ALSYMPCA) — is recommended and Sr-89/Sm-153 is its alternative for pain."""
    radium = next((i for i in items if i.code == DRAFTING[RA223]), None)
    srsm = next((i for i in items if i.code == "RADIONUCLIDE-SR89-SM153"), None)
    if radium is None or srsm is None:
        return items
    alt = _alternative(
        srsm,
        "Strontium-89 or samarium-153 instead, for pain palliation: radium-223 prolonged "
        "overall survival in castration-resistant prostate cancer (ALSYMPCA, 14.9 vs 11.3 "
        "months); the two are not given together (RAD-08).",
    )
    return [
        _with_alternatives(i, [alt]) if i is radium else i for i in items if i is not srsm
    ]


def _local_treatments_still_drafted(items: list[PlanItem]) -> list[PlanItem]:
    """SYS-01 lists the local treatments it is timed around as drafted before this step;
    one removed above (an inconsistent lesion's) or folded into another item as its
    alternative is no longer a treatment of the plan, so it leaves the list."""
    codes = {i.code for i in items}
    out: list[PlanItem] = []
    for i in items:
        listed = i.detail.get("local_treatment_codes")
        if i.code == "SYS-INTEGRATE-WITH-LOCAL" and isinstance(listed, list):
            kept: list[JSONValue] = [c for c in listed if c in codes]
            if kept != listed:
                i = replace(i, detail={**i.detail, "local_treatment_codes": kept})
        out.append(i)
    return out
