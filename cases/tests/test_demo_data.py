"""`load_demo_data`: a fictional cohort that covers every band the board works with, is
idempotent, and never puts a password in the repository."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from cases import scoping
from cases.choices import AgendaItemStatus, LabAnalyte, MeetingStatus
from cases.demo import builders, cohort
from cases.models import (
    AgendaItem,
    Board,
    BoneTargetedAgentCourse,
    Decision,
    DecisionItem,
    LabResult,
    Lesion,
    Meeting,
    Patient,
    RadiotherapyCourse,
    SurgicalProcedure,
    SystemicTherapy,
)
from cases.services import decision_verify
from front.management.commands import load_demo_data as demo_command
from recommendations.engine import catalogue, evaluate, scores
from recommendations.engine import facts as engine_facts
from recommendations.selectors import case_facts_for_patients

pytestmark = pytest.mark.django_db

DEMO_SOURCES = [
    Path(builders.__file__).parent,
    Path(demo_command.__file__),
]


def _load() -> str:
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for this module, inside a transaction rolled back at the end
    (each test's own transaction nests in it as a savepoint). Loading takes seconds;
    seventeen loads would dominate the suite."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = _load()
        yield output
        transaction.set_rollback(True)


def _logins(output: str) -> dict[str, str]:
    """username → password from the command's "Demo logins" block."""
    logins = {}
    for line in output.splitlines():
        match = re.match(r"^  (\S+)\s+(\S+)  ", line)
        if match:
            logins[match.group(1)] = match.group(2)
    return logins


def _row_counts() -> dict[str, int]:
    """Rows of every table Django knows, audit-event tables included."""
    return {m._meta.db_table: m._default_manager.count() for m in apps.get_models()
            if m._meta.db_table not in ("django_session", "axes_accessattempt",
                                        "axes_accesslog")}


def _engine_lesion(lesion: Lesion) -> engine_facts.Lesion:
    def enum(kind, value):
        return kind(value) if value else None

    def number(value):
        return float(value) if value is not None else None

    return engine_facts.Lesion(
        id=str(lesion.pk), bone=engine_facts.Bone(lesion.bone),
        vertebral_level=enum(engine_facts.VertebralLevel, lesion.vertebral_level),
        long_bone_segment=enum(engine_facts.LongBoneSegment, lesion.long_bone_segment),
        lesion_type=enum(engine_facts.LesionType, lesion.lesion_type),
        spinal_pain=enum(engine_facts.SpinalPain, lesion.spinal_pain),
        alignment=enum(engine_facts.Alignment, lesion.alignment),
        collapse_percent=number(lesion.collapse_percent),
        body_involvement_percent=number(lesion.body_involvement_percent),
        posterolateral=enum(engine_facts.PosterolateralInvolvement, lesion.posterolateral),
        limb_pain=enum(engine_facts.LimbPain, lesion.limb_pain),
        cortical_involvement=enum(engine_facts.CorticalInvolvement,
                                  lesion.cortical_involvement),
    )


def _by_number(n: int) -> Patient:
    return Patient.objects.get(hospital_number=builders.hospital_number(n))


# --- The cohort -----------------------------------------------------------------------

def test_it_loads_a_fictional_cohort_of_at_least_40_patients(demo):
    main = Board.objects.get(name="Bone metastasis MDT")
    sarcoma = Board.objects.get(name="Sarcoma and bone MDT")
    assert Patient.objects.filter(board=main).count() == 42
    assert Patient.objects.filter(board=sarcoma).count() == 2
    assert all(re.fullmatch(r"DEMO\d{4}", hn)
               for hn in Patient.objects.values_list("hospital_number", flat=True))
    assert all(name.startswith("Demo-")
               for name in Patient.objects.values_list("family_name", flat=True))


def test_the_cohort_covers_the_primary_sites_and_their_subtypes(demo):
    rows = set(Patient.objects.values_list("primary__site", "primary__castration_status",
                                           "primary__hormone_receptor_status",
                                           "primary__her2_status"))
    sites = {site for site, *_ in rows}
    assert {"prostate", "breast", "lung", "kidney", "myeloma", "thyroid", "melanoma"} <= sites
    assert {c for s, c, *_ in rows if s == "prostate"} == {"sensitive", "resistant", "unknown"}
    # HR+/HER2−, HR−/HER2+, HR+/HER2+ (triple positive), triple negative, both not known.
    assert {(hr, her2) for s, _, hr, her2 in rows if s == "breast"} == {
        ("positive", "negative"), ("negative", "positive"), ("positive", "positive"),
        ("negative", "negative"), ("unknown", "unknown")}


def test_every_sins_band_is_present_computed_by_the_engine(demo):
    results = {}
    for lesion in Lesion.objects.filter(bone__in=["vertebra", "sacrum"]).select_related(
            "patient"):
        results[lesion.patient.hospital_number] = scores.sins_score(_engine_lesion(lesion))
    totals = {r.total for r in results.values() if r.total is not None}
    # Every band, with both edges of the middle one.
    assert {6, 7, 12, 13} <= totals
    categories = {r.category for r in results.values() if r.category is not None}
    assert categories == {scores.SinsCategory.STABLE, scores.SinsCategory.POTENTIALLY_UNSTABLE,
                          scores.SinsCategory.UNSTABLE}
    # Exactly 50 % collapse: SINS gives no single value, the engine reports 8–9.
    fifty = results["DEMO0018"]
    assert (fifty.total_min, fifty.total_max, fifty.undefined) == (8, 9, ("collapse_percent",))
    # Alignment not recorded: a range across two bands, and the engine names what is missing.
    incomplete = results["DEMO0028"]
    assert (incomplete.total_min, incomplete.total_max) == (9, 13)
    assert incomplete.missing == ("alignment",)
    assert incomplete.category is None
    assert (results["DEMO0004"].total, results["DEMO0038"].total) == (0, 18)


def test_every_mirels_band_is_present_including_peritrochanteric(demo):
    results = {}
    for lesion in Lesion.objects.filter(bone__in=["femur", "tibia", "fibula", "humerus",
                                                  "radius", "ulna"]).select_related("patient"):
        results[lesion.pk] = (lesion, scores.mirels_score(_engine_lesion(lesion)))
    categories = {r.category for _, r in results.values()}
    assert categories == {scores.MirelsCategory.LOW, scores.MirelsCategory.BORDERLINE,
                          scores.MirelsCategory.HIGH}
    totals = {r.total for _, r in results.values()}
    assert {7, 8, 9} <= totals
    peritrochanteric = {r.total for lesion, r in results.values()
                        if lesion.long_bone_segment == "peritrochanteric"}
    assert peritrochanteric == {9, 12}
    upper_limb_borderline = [lesion.bone for lesion, r in results.values() if r.total == 8]
    assert sorted(upper_limb_borderline) == ["femur", "humerus"]


def test_creatinine_clearance_spans_every_zoledronic_acid_band_in_both_units(demo):
    today = timezone.localdate()
    bands = set()
    for patient in Patient.objects.filter(weight_kg__isnull=False,
                                          labs__analyte=LabAnalyte.CREATININE).distinct():
        latest = patient.labs.filter(analyte=LabAnalyte.CREATININE).order_by("-taken_at")[0]
        clearance = scores.cockcroft_gault(
            age_years=patient.age_on(today), weight_kg=float(patient.weight_kg),
            sex=engine_facts.Sex(patient.sex),
            creatinine=engine_facts.LabResult(
                analyte=engine_facts.LabAnalyte.CREATININE, value=float(latest.value),
                unit=engine_facts.LabUnit(latest.unit), taken_at=latest.taken_at.date()),
        )
        bands.add(scores.zoledronic_dose_band(clearance.value_ml_min).band)
    assert bands == {"> 60", "50–60", "40–49", "30–39", "< 30"}
    units = set(LabResult.objects.filter(analyte=LabAnalyte.CREATININE)
                .values_list("unit", flat=True))
    assert units == {"mg/dL", "umol/L"}


def test_a_rising_creatinine_on_zoledronic_acid_triggers_the_withhold_rule(demo):
    patient = _by_number(3)
    creatinines = list(patient.labs.filter(analyte=LabAnalyte.CREATININE).order_by("taken_at"))
    first_dose = patient.bone_agent_courses.get(agent="zoledronic_acid").started_on
    baseline = [c for c in creatinines if c.taken_at.date() <= first_dose][-1]
    check = scores.zoledronic_renal_check(
        baseline_mg_dl=float(baseline.value_in("mg/dL")),
        latest_mg_dl=float(creatinines[-1].value_in("mg/dL")), withheld=False)
    assert (check.baseline_mg_dl, check.latest_mg_dl) == (0.9, 1.5)
    assert check.action == scores.RenalAction.WITHHOLD


def test_radium_223_candidates_include_one_that_fails_the_counts(demo):

    def counts(n):
        patient = _by_number(n)
        return {lab.analyte: lab.value for lab in patient.labs.filter(
            analyte__in=["anc", "platelets", "haemoglobin"])}

    passing, failing = counts(1), counts(2)
    # RAD-03 first dose: ANC ≥ 1.5, platelets ≥ 100, haemoglobin ≥ 10 g/dL.
    assert passing["anc"] >= 1.5 and passing["platelets"] >= 100
    assert passing["haemoglobin"] >= 10
    assert failing["anc"] < 1.5 and failing["platelets"] < 100 and failing["haemoglobin"] < 10
    assert _by_number(2).radioisotope_courses.get().planned is True


def test_the_additions_rules_have_their_demo_cases(demo):
    """HCM-04/01/02 (total calcium and albumin, corrected by Payne 1973), MSCC-04
    (instability signs under suspected MSCC) and BTA-11 (co-medication when creatinine
    rises on zoledronic acid) are each shown by a demo patient."""
    today = timezone.localdate()
    numbers = {35: "HCM-ZOLEDRONIC-4MG", 8: "MSCC-IMMOBILISE-NOW",
               3: "BTA-ZOLEDRONIC-RENAL-REVIEW"}
    patients = {n: _by_number(n) for n in numbers}
    facts = case_facts_for_patients(patient_ids=[p.pk for p in patients.values()], as_of=today)
    for n, code in numbers.items():
        assert code in evaluate(facts[patients[n].pk], as_of=today).codes(), n


def test_the_treatments_the_rules_talk_about_are_all_there(demo):
    assert set(SystemicTherapy.objects.values_list("kind", flat=True)) >= {
        "adt", "abiraterone_prednisone", "enzalutamide", "chemotherapy", "anti_angiogenic",
        "corticosteroid"}
    assert set(BoneTargetedAgentCourse.objects.values_list("agent", flat=True)) == {
        "zoledronic_acid", "denosumab"}
    assert set(RadiotherapyCourse.objects.values_list("technique", flat=True)) == {
        "conventional", "sbrt"}
    assert set(SurgicalProcedure.objects.values_list("kind", flat=True)) == {
        "fixation", "vertebroplasty"}
    assert Lesion.objects.filter(prior_rt_dose_gy__isnull=False).count() == 1
    assert RadiotherapyCourse.objects.filter(lesion__isnull=False).count() == 3


def test_some_cases_miss_data_on_purpose(demo):
    assert list(Patient.objects.filter(weight_kg__isnull=True)
                .values_list("hospital_number", flat=True)) == ["DEMO0006"]
    assert sorted(Patient.objects.filter(ecog__isnull=True)
                  .values_list("hospital_number", flat=True)) == ["DEMO0007", "DEMO0032"]
    assert list(Patient.objects.filter(visceral_metastases__isnull=True)
                .values_list("hospital_number", flat=True)) == ["DEMO0020"]
    assert list(Lesion.objects.filter(bone="vertebra", alignment="")
                .values_list("patient__hospital_number", flat=True)) == ["DEMO0028"]


def test_cord_compression_and_dental_status_vary(demo):
    assert sorted(Patient.objects.filter(suspected_cord_compression=True)
                  .values_list("hospital_number", flat=True)) == ["DEMO0008", "DEMO0024"]
    assert Patient.objects.filter(last_dental_exam_on__isnull=True).count() == 3
    for flag in ("pending_invasive_dental_work", "unhealed_oral_lesions", "poor_oral_hygiene",
                 "periodontal_disease", "ill_fitting_dentures"):
        assert Patient.objects.filter(**{flag: True}).exists(), flag


# --- Meetings and decisions -----------------------------------------------------------

def test_two_past_meetings_with_signed_decisions_that_verify(demo):
    past = Meeting.objects.filter(starts_at__lt=timezone.now()).order_by("starts_at")
    assert [m.status for m in past] == [MeetingStatus.HELD, MeetingStatus.HELD]
    decisions = Decision.objects.filter(agenda_item__meeting__in=past)
    assert decisions.count() == 10
    assert all(d.is_signed and decision_verify(d) for d in decisions)
    assert set(AgendaItem.objects.filter(meeting__in=past).values_list("status", flat=True)) \
        == {AgendaItemStatus.DECIDED}
    assert {d.signed_by.username for d in decisions} == {"chair"}


def test_decision_codes_are_the_engine_catalogues(demo):
    coded = DecisionItem.objects.exclude(code="")
    assert coded.count() == 18
    for code, rule_id in coded.values_list("code", "rule_id"):
        _info, rule = catalogue.get_code(code)
        assert rule.id == rule_id, code
    assert set(DecisionItem.objects.filter(code="").values_list("verdict", flat=True)) == {
        "added"}


def test_the_upcoming_meeting_is_next_week_at_8_with_an_urgent_case_first(demo):
    upcoming = Meeting.objects.get(starts_at__gt=timezone.now())
    local = timezone.localtime(upcoming.starts_at)
    today = timezone.localdate()
    next_monday = today + dt.timedelta(days=7 - today.weekday())
    assert next_monday <= local.date() < next_monday + dt.timedelta(days=5)
    assert (local.hour, local.minute) == (8, 0)
    items = list(upcoming.agenda_items.order_by("position"))
    assert len(items) == 15
    assert (items[0].urgent, items[0].patient.hospital_number) == (True, "DEMO0008")
    assert [i.urgent for i in items[1:]] == [False] * 14
    # Readiness is the engine's: the command refreshes the drafts of the meeting, and a
    # case is ready exactly when its draft is missing nothing.
    from recommendations.selectors import current_drafts

    drafts = current_drafts(agenda_item_ids=[i.pk for i in items])
    not_ready = sorted(i.patient.hospital_number for i in items
                       if i.status == AgendaItemStatus.REFERRED)
    assert not_ready == ["DEMO0002", "DEMO0006", "DEMO0007", "DEMO0008", "DEMO0020",
                         "DEMO0028"]
    assert sum(i.status == AgendaItemStatus.READY for i in items) == 9
    for item in items:
        assert drafts[item.pk].is_ready == (item.status == AgendaItemStatus.READY)


def test_the_sarcoma_board_is_scoped_apart(demo):
    user_model = get_user_model()
    chair, sarcoma = user_model.objects.get(username="chair"), user_model.objects.get(
        username="sarcoma")
    assert scoping.patients_for(chair).count() == 42
    assert sorted(scoping.patients_for(sarcoma).values_list("hospital_number", flat=True)) \
        == ["DEMO0101", "DEMO0102"]
    assert scoping.meetings_for(sarcoma).count() == 0
    assert not scoping.patients_for(chair).filter(hospital_number="DEMO0101").exists()


# --- Users, passwords, idempotency ----------------------------------------------------

def test_each_new_login_is_printed_once_and_works(demo):
    logins = _logins(demo)
    assert sorted(logins) == sorted([u[0] for u in cohort.USERS] + ["administrator"])
    for username, password in logins.items():
        assert len(password) >= 16
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request=request, username=username, password=password)
        assert user is not None and user.username == username
    assert len(set(logins.values())) == len(logins)
    admin = get_user_model().objects.get(username="administrator")
    assert (admin.is_staff, admin.is_superuser) == (True, True)
    assert list(admin.groups.values_list("name", flat=True)) == ["administrator"]


def test_a_second_run_changes_nothing_and_shows_no_password(demo):
    first_output = demo
    before = _row_counts()
    second_output = _load()
    assert _row_counts() == before
    assert _logins(second_output) == {}
    assert "Demo users already exist" in second_output
    assert "./bin/manage changepassword <username>" in second_output
    for password in _logins(first_output).values():
        assert password not in second_output


def test_no_password_is_written_in_the_demo_sources():
    literal = re.compile(
        r"""(password\s*=\s*["'][^"']+["'])|(set_password\(\s*["'])|(make_password\(\s*["'])""",
        re.IGNORECASE,
    )
    sources = [p for root in DEMO_SOURCES
               for p in ([root] if root.is_file() else sorted(root.glob("*.py")))]
    assert len(sources) == 4
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert literal.search(text) is None, path
    assert "secrets.token_urlsafe" in (DEMO_SOURCES[0] / "builders.py").read_text()
