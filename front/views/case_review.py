"""The case-review page: one agenda item, everything a specialist needs to judge it."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from cases import selectors
from cases.choices import ANALYTE_UNITS, LabAnalyte, LabUnit, PrimarySite
from cases.plausibility import plausible_range_text
from cases.units import UnitError, convert
from front.charts import LabChart, Point, Span, Threshold, treatment_timeline
from front.views.common import audit
from front.views.drafts import DraftView, draft_view
from recommendations.scores import creatinine_clearance
from recommendations.services import draft_refresh

#: The trend charts, in reading order: (analyte, title, thresholds from the rules).
_CHARTS: tuple[tuple[str, str, tuple[Threshold, ...]], ...] = (
    (LabAnalyte.CREATININE, "Creatinine", ()),
    ("crcl", "Creatinine clearance", (
        # BTA-03: zoledronic acid dose bands; < 30 not recommended (BTA-07).
        Threshold(60, "60: full dose"), Threshold(30, "30: no zoledronic acid"),
    )),
    (LabAnalyte.CALCIUM, "Calcium (adjusted)", ()),
    (LabAnalyte.ALP, "Alkaline phosphatase", ()),
    (LabAnalyte.HAEMOGLOBIN, "Haemoglobin", (Threshold(10, "10: Ra-223 first dose"),)),
    (LabAnalyte.PLATELETS, "Platelets", (Threshold(100, "100: Ra-223 first dose"),
                                         Threshold(50, "50: later doses"))),
    (LabAnalyte.ANC, "Neutrophils", (Threshold(1.5, "1.5: Ra-223 first dose"),
                                     Threshold(1.0, "1.0: later doses"))),
    (LabAnalyte.WBC, "White cells", ()),
)
_UNIT_LABELS = dict(LabUnit.choices)


def _lab_charts(record: selectors.CaseRecord) -> list[LabChart]:
    """Each analyte in its canonical unit (converted, with the original on hover), plus
    the Cockcroft–Gault clearance of every creatinine value."""
    patient = record.patient
    series: dict[str, list[Point]] = {key: [] for key, _t, _th in _CHARTS}
    excluded: dict[str, list[str]] = {key: [] for key, _t, _th in _CHARTS}
    units = _chart_units(record.labs)
    for lab in record.labs:
        if lab.analyte not in series:
            continue
        day = timezone.localdate(lab.taken_at)
        original = f"{lab.value.normalize():f} {_UNIT_LABELS.get(lab.unit, lab.unit)}"
        if lab.is_implausible:
            # Stored as recorded, never plotted or computed from (cases.plausibility).
            excluded[lab.analyte].append(
                f"{original} on {day:%-d %b %Y} is outside the plausible range "
                f"({plausible_range_text(lab.analyte, lab.unit)} "
                f"{_UNIT_LABELS.get(lab.unit, lab.unit)}): not used; recheck."
            )
            continue
        try:
            value = convert(lab.analyte, lab.value, lab.unit, units[lab.analyte])
        except UnitError:
            continue
        series[lab.analyte].append(Point(day, float(value), original))
        clearance = creatinine_clearance(patient=patient, lab=lab, day=day)
        if clearance is not None:
            series["crcl"].append(Point(day, clearance, f"{clearance:g} mL/min"))
    charts = []
    for key, title, thresholds in _CHARTS:
        unit = "mL/min" if key == "crcl" else _UNIT_LABELS[units[key]]
        note = "" if key != "crcl" or patient.weight_kg else "Needs the patient's weight."
        charts.append(LabChart(key=key, title=title, unit=unit, points=series[key],
                               thresholds=list(thresholds), note=note,
                               excluded=excluded.get(key, [])))
    return charts


#: Charts whose thresholds are written in the analyte's canonical unit keep it.
_CANONICAL_ONLY = frozenset(key for key, _t, thresholds in _CHARTS if thresholds)


def _chart_units(labs) -> dict[str, str]:
    """Each analyte's chart unit: the unit its latest value was recorded in (the
    board's own unit: a µmol/L laboratory sees µmol/L), or the canonical unit where the
    chart draws thresholds."""
    units = {key: ANALYTE_UNITS[key][0] for key, _t, _th in _CHARTS if key != "crcl"}
    latest: dict[str, object] = {}
    for lab in labs:
        if lab.analyte in units and lab.analyte not in _CANONICAL_ONLY and (
                lab.analyte not in latest or lab.taken_at >= latest[lab.analyte]):
            latest[lab.analyte] = lab.taken_at
            units[lab.analyte] = lab.unit
    return units


def _spans(record: selectors.CaseRecord) -> list[Span]:
    spans: list[Span] = []
    for rt in record.radiotherapy:
        dose = f"{Decimal(rt.dose_gy).normalize():f} Gy/{rt.fractions}"
        end = rt.ended_on or rt.started_on
        spans.append(Span("radiotherapy", rt.started_on, end, f"{rt.site} {dose}",
                          rt.get_technique_display()))
    # A course still being planned has no start date: it has no place on a time axis,
    # so it is listed under the chart instead (`_planned`).
    for course in record.bone_agents:
        if course.started_on is None:
            continue
        spans.append(Span("bta", course.started_on, course.stopped_on,
                          course.get_agent_display(),
                          f"{Decimal(course.dose_mg).normalize():f} mg every "
                          f"{course.interval_weeks} weeks"))
    for therapy in record.systemic:
        if therapy.started_on is None:
            continue
        spans.append(Span("systemic", therapy.started_on, therapy.stopped_on,
                          therapy.drug or therapy.get_kind_display(),
                          therapy.get_kind_display()))
    for surgery in record.surgeries:
        spans.append(Span("surgery", surgery.performed_on, surgery.performed_on,
                          surgery.get_kind_display(), surgery.notes[:80], point=True))
    return spans


def _planned(record: selectors.CaseRecord) -> list[str]:
    """Courses recorded without a start date (planned, not started), in words."""
    planned = [f"{course.get_agent_display()} (bone-targeted agent)"
               for course in record.bone_agents if course.started_on is None]
    planned += [therapy.drug or therapy.get_kind_display()
                for therapy in record.systemic if therapy.started_on is None]
    return planned


def lesion_rows(lesions, view: DraftView | None) -> list[dict]:
    """Each lesion with the engine's SINS / Mirels for it (never recomputed here)."""
    scores = view.scores_by_lesion if view else {}
    return [{"lesion": lesion, "scores": scores.get(str(lesion.pk), [])}
            for lesion in lesions]


def case_context(request, item, *, draft=None, refresh: bool = True) -> dict:
    record = selectors.case_record(item=item)
    if draft is None and refresh:
        draft = draft_refresh(agenda_item=item)
    view = draft_view(draft)
    decisions = selectors.decisions_of(item=item)
    today = timezone.localdate()
    meeting_day = timezone.localdate(item.meeting.starts_at)
    patient = record.patient
    primary = getattr(patient, "primary", None)
    audit(request, [patient.pk])
    return {
        "item": item,
        "meeting": item.meeting,
        "record": record,
        "patient": patient,
        "primary": primary,
        "is_prostate": primary is not None and primary.site == PrimarySite.PROSTATE,
        "is_breast": primary is not None and primary.site == PrimarySite.BREAST,
        "age": patient.age_on(today),
        "draft": view,
        "lesions": lesion_rows(record.lesions, view),
        "charts": _lab_charts(record),
        "timeline": treatment_timeline(_spans(record), today=today,
                                       marker=meeting_day if meeting_day != today else None,
                                       marker_label="meeting"),
        "planned_treatments": _planned(record),
        "has_treatments": bool(record.radiotherapy or record.bone_agents or record.systemic
                               or record.surgeries),
        "decisions": decisions,
        "latest_decision": decisions[-1] if decisions else None,
        "can_record": request.user.has_perm("cases.record_decision", item),
        "opinions": selectors.opinions_by_item(item_ids=[item.pk])[item.pk],
    }


@login_required
def case_review(request, item_pk):
    item = selectors.agenda_item_for(user=request.user, pk=item_pk)
    return render(request, "cases/case_review.html", case_context(request, item))
