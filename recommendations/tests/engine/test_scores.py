"""Score boundaries as data tables: every SINS component value, Mirels 7/8/9, every
zoledronic acid clearance band, unit handling and the BTA-04 withhold/resume rule."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from recommendations.engine.facts import (
    Alignment,
    Bone,
    CorticalInvolvement,
    LabAnalyte,
    LabResult,
    LabUnit,
    Lesion,
    LesionType,
    LimbPain,
    LongBoneSegment,
    PosterolateralInvolvement,
    Sex,
    SpinalPain,
    VertebralLevel,
)
from recommendations.engine.scores import (
    ComponentStatus,
    MirelsCategory,
    RenalAction,
    SinsCategory,
    UnitError,
    cockcroft_gault,
    creatinine_mg_dl,
    mirels_score,
    sins_category,
    sins_location,
    sins_score,
    zoledronic_dose_band,
    zoledronic_renal_check,
)

D = date(2025, 6, 1)


def vert(**kw: Any) -> Lesion:
    base: dict[str, Any] = dict(
        id="V",
        bone=Bone.VERTEBRA,
        vertebral_level=VertebralLevel.T7,
        lesion_type=LesionType.OSTEOBLASTIC,
        spinal_pain=SpinalPain.NONE,
        alignment=Alignment.NORMAL,
        collapse_percent=0.0,
        body_involvement_percent=10.0,
        posterolateral=PosterolateralInvolvement.NONE,
    )
    base.update(kw)
    return Lesion(**base)


# SINS-01: every level C1–S5 → (class, points)
LOCATION_TABLE = (
    [("C1", "junctional", 3), ("C2", "junctional", 3)]
    + [(f"C{i}", "mobile", 2) for i in range(3, 7)]
    + [("C7", "junctional", 3), ("T1", "junctional", 3), ("T2", "junctional", 3)]
    + [(f"T{i}", "semi-rigid", 1) for i in range(3, 11)]
    + [("T11", "junctional", 3), ("T12", "junctional", 3), ("L1", "junctional", 3)]
    + [(f"L{i}", "mobile", 2) for i in range(2, 5)]
    + [("L5", "junctional", 3), ("S1", "junctional", 3)]
    + [(f"S{i}", "rigid", 0) for i in range(2, 6)]
)


@pytest.mark.parametrize(("level", "kind", "points"), LOCATION_TABLE)
def test_sins_location_every_level(level: str, kind: str, points: int) -> None:
    assert sins_location(VertebralLevel(level)) == (kind, points)


def test_location_table_covers_all_29_levels() -> None:
    assert [lv for lv, _, _ in LOCATION_TABLE] == [str(v) for v in VertebralLevel]


# Each component value on top of the T7 baseline (location 1, everything else 0).
COMPONENT_TABLE: list[tuple[str, dict[str, Any], int, int]] = [
    ("pain mechanical", {"spinal_pain": SpinalPain.MECHANICAL}, 4, 4),
    ("pain occasional", {"spinal_pain": SpinalPain.OCCASIONAL}, 2, 2),
    ("pain none", {"spinal_pain": SpinalPain.NONE}, 1, 1),
    ("pain unknown", {"spinal_pain": None}, 1, 4),
    ("lytic", {"lesion_type": LesionType.LYTIC}, 3, 3),
    ("mixed", {"lesion_type": LesionType.MIXED}, 2, 2),
    ("blastic", {"lesion_type": LesionType.OSTEOBLASTIC}, 1, 1),
    ("lesion unknown", {"lesion_type": None}, 1, 3),
    ("subluxation", {"alignment": Alignment.SUBLUXATION}, 5, 5),
    ("de novo deformity", {"alignment": Alignment.DE_NOVO_DEFORMITY}, 3, 3),
    ("alignment unknown", {"alignment": None}, 1, 5),
    ("collapse 51", {"collapse_percent": 51.0}, 4, 4),
    ("collapse 50 undefined", {"collapse_percent": 50.0}, 3, 4),
    ("collapse 49.9", {"collapse_percent": 49.9}, 3, 3),
    ("collapse 1", {"collapse_percent": 1.0}, 3, 3),
    ("no collapse, body 51", {"collapse_percent": 0.0, "body_involvement_percent": 51.0}, 2, 2),
    ("no collapse, body 50", {"collapse_percent": 0.0, "body_involvement_percent": 50.0}, 1, 1),
    (
        "no collapse, body unknown",
        {"collapse_percent": 0.0, "body_involvement_percent": None},
        1,
        2,
    ),
    ("collapse unknown", {"collapse_percent": None}, 1, 4),
    ("posterolateral bilateral", {"posterolateral": PosterolateralInvolvement.BILATERAL}, 4, 4),
    ("posterolateral unilateral", {"posterolateral": PosterolateralInvolvement.UNILATERAL}, 2, 2),
    ("posterolateral unknown", {"posterolateral": None}, 1, 4),
    ("level unknown", {"vertebral_level": None}, 0, 3),
]


@pytest.mark.parametrize(
    ("name", "kw", "lo", "hi"), COMPONENT_TABLE, ids=[c[0] for c in COMPONENT_TABLE]
)
def test_sins_component_values(name: str, kw: dict[str, Any], lo: int, hi: int) -> None:
    s = sins_score(vert(**kw))
    assert (s.total_min, s.total_max) == (lo, hi)
    assert (s.total is None) == (lo != hi)
    assert ("SINS-08" in s.rule_ids) == (lo != hi)


def test_sins_exactly_50_is_reported_undefined_not_picked() -> None:
    s = sins_score(vert(collapse_percent=50.0))
    comp = next(c for c in s.components if c.name == "collapse")
    assert comp.status is ComponentStatus.UNDEFINED
    assert (comp.min_points, comp.max_points) == (2, 3)
    assert s.undefined == ("collapse_percent",)
    assert s.missing == ()
    assert comp.note is not None and "does not pick" in comp.note


@pytest.mark.parametrize(
    ("total", "category"),
    [
        (0, SinsCategory.STABLE),
        (6, SinsCategory.STABLE),
        (7, SinsCategory.POTENTIALLY_UNSTABLE),
        (12, SinsCategory.POTENTIALLY_UNSTABLE),
        (13, SinsCategory.UNSTABLE),
        (18, SinsCategory.UNSTABLE),
    ],
)
def test_sins_category_boundaries(total: int, category: SinsCategory) -> None:
    assert sins_category(total) is category


def test_sins_maximum_is_18_and_describes_the_components() -> None:
    s = sins_score(
        vert(
            vertebral_level=VertebralLevel.T12,
            spinal_pain=SpinalPain.MECHANICAL,
            lesion_type=LesionType.LYTIC,
            alignment=Alignment.SUBLUXATION,
            collapse_percent=80.0,
            posterolateral=PosterolateralInvolvement.BILATERAL,
        )
    )
    assert s.total == 18
    assert s.category is SinsCategory.UNSTABLE
    assert s.describe() == (
        "SINS 18 (T12 junctional 3, mechanical pain 3, lytic 2, subluxation/translation 4, "
        "collapse 80 % (> 50 %) 3, bilateral posterolateral 3)"
    )


def test_sins_range_category_is_none_when_it_straddles() -> None:
    s = sins_score(vert(spinal_pain=None, alignment=None, lesion_type=LesionType.LYTIC))
    assert (s.total_min, s.total_max) == (3, 10)
    assert s.category is None
    assert s.category_min is SinsCategory.STABLE
    assert s.category_max is SinsCategory.POTENTIALLY_UNSTABLE
    assert s.missing == ("spinal_pain", "alignment")


def test_sins_refuses_a_femur() -> None:
    with pytest.raises(ValueError, match="SINS applies to the spine"):
        sins_score(Lesion(id="F", bone=Bone.FEMUR))


def limb(**kw: Any) -> Lesion:
    base: dict[str, Any] = dict(
        id="F",
        bone=Bone.FEMUR,
        long_bone_segment=LongBoneSegment.DIAPHYSIS,
        lesion_type=LesionType.OSTEOBLASTIC,
        limb_pain=LimbPain.MILD,
        cortical_involvement=CorticalInvolvement.LESS_THAN_THIRD,
    )
    base.update(kw)
    return Lesion(**base)


MIRELS_TABLE: list[tuple[str, dict[str, Any], int, int]] = [
    ("baseline lower limb", {}, 5, 5),
    ("humerus upper", {"bone": Bone.HUMERUS}, 4, 4),
    ("radius upper", {"bone": Bone.RADIUS}, 4, 4),
    ("ulna upper", {"bone": Bone.ULNA}, 4, 4),
    ("tibia lower", {"bone": Bone.TIBIA}, 5, 5),
    ("fibula lower", {"bone": Bone.FIBULA}, 5, 5),
    ("peritrochanteric", {"long_bone_segment": LongBoneSegment.PERITROCHANTERIC}, 6, 6),
    ("femur segment unknown", {"long_bone_segment": None}, 5, 6),
    (
        "humerus segment unknown is still upper",
        {"bone": Bone.HUMERUS, "long_bone_segment": None},
        4,
        4,
    ),
    ("moderate pain", {"limb_pain": LimbPain.MODERATE}, 6, 6),
    ("functional pain", {"limb_pain": LimbPain.FUNCTIONAL}, 7, 7),
    ("pain unknown", {"limb_pain": None}, 5, 7),
    ("mixed", {"lesion_type": LesionType.MIXED}, 6, 6),
    ("lytic", {"lesion_type": LesionType.LYTIC}, 7, 7),
    ("lesion unknown", {"lesion_type": None}, 5, 7),
    ("size 1/3-2/3", {"cortical_involvement": CorticalInvolvement.THIRD_TO_TWO_THIRDS}, 6, 6),
    ("size >2/3", {"cortical_involvement": CorticalInvolvement.MORE_THAN_TWO_THIRDS}, 7, 7),
    ("size unknown", {"cortical_involvement": None}, 5, 7),
    ("7", {"limb_pain": LimbPain.MODERATE, "lesion_type": LesionType.MIXED}, 7, 7),
    (
        "8",
        {
            "limb_pain": LimbPain.MODERATE,
            "lesion_type": LesionType.MIXED,
            "cortical_involvement": CorticalInvolvement.THIRD_TO_TWO_THIRDS,
        },
        8,
        8,
    ),
    (
        "9",
        {
            "limb_pain": LimbPain.FUNCTIONAL,
            "lesion_type": LesionType.MIXED,
            "cortical_involvement": CorticalInvolvement.THIRD_TO_TWO_THIRDS,
        },
        9,
        9,
    ),
    (
        "12",
        {
            "long_bone_segment": LongBoneSegment.PERITROCHANTERIC,
            "limb_pain": LimbPain.FUNCTIONAL,
            "lesion_type": LesionType.LYTIC,
            "cortical_involvement": CorticalInvolvement.MORE_THAN_TWO_THIRDS,
        },
        12,
        12,
    ),
    (
        "all unknown",
        {
            "long_bone_segment": None,
            "limb_pain": None,
            "lesion_type": None,
            "cortical_involvement": None,
        },
        5,
        12,
    ),
]


@pytest.mark.parametrize(("name", "kw", "lo", "hi"), MIRELS_TABLE, ids=[m[0] for m in MIRELS_TABLE])
def test_mirels_components(name: str, kw: dict[str, Any], lo: int, hi: int) -> None:
    m = mirels_score(limb(**kw))
    assert (m.total_min, m.total_max) == (lo, hi)


@pytest.mark.parametrize(
    ("kw", "category"),
    [
        ({"limb_pain": LimbPain.MODERATE, "lesion_type": LesionType.MIXED}, MirelsCategory.LOW),
        (
            {
                "limb_pain": LimbPain.MODERATE,
                "lesion_type": LesionType.MIXED,
                "cortical_involvement": CorticalInvolvement.THIRD_TO_TWO_THIRDS,
            },
            MirelsCategory.BORDERLINE,
        ),
        (
            {
                "limb_pain": LimbPain.FUNCTIONAL,
                "lesion_type": LesionType.MIXED,
                "cortical_involvement": CorticalInvolvement.THIRD_TO_TWO_THIRDS,
            },
            MirelsCategory.HIGH,
        ),
    ],
    ids=["7-low", "8-borderline", "9-high"],
)
def test_mirels_categories(kw: dict[str, Any], category: MirelsCategory) -> None:
    assert mirels_score(limb(**kw)).category is category


def cre(value: float, unit: LabUnit | None = LabUnit.MG_DL) -> LabResult:
    return LabResult(LabAnalyte.CREATININE, value, unit, D)


# Male, 80 years, creatinine 1.0 mg/dL: CrCl = 60 × weight / 72.
BAND_TABLE = [
    (72.1, 60.1, "> 60", 4.0, False),
    (72.0, 60.0, "50–60", 3.5, False),
    (60.0, 50.0, "50–60", 3.5, False),
    (59.4, 49.5, "40–49", 3.3, True),
    (58.8, 49.0, "40–49", 3.3, False),
    (48.0, 40.0, "40–49", 3.3, False),
    (47.4, 39.5, "30–39", 3.0, True),
    (36.0, 30.0, "30–39", 3.0, False),
    (35.9, 29.9, "< 30", None, False),
]


@pytest.mark.parametrize(("weight", "crcl", "band", "dose", "between"), BAND_TABLE)
def test_zoledronic_bands(
    weight: float, crcl: float, band: str, dose: float | None, between: bool
) -> None:
    c = cockcroft_gault(age_years=80, weight_kg=weight, sex=Sex.MALE, creatinine=cre(1.0))
    assert c.value_ml_min == crcl
    b = zoledronic_dose_band(crcl)
    assert (b.band, b.dose_mg, b.between_bands, b.recommended) == (
        band,
        dose,
        between,
        dose is not None,
    )
    if between:
        assert "was used" in b.explanation


@pytest.mark.parametrize(("weight", "crcl", "band", "dose", "between"), BAND_TABLE)
def test_zoledronic_bands_in_umol_per_litre(
    weight: float, crcl: float, band: str, dose: float | None, between: bool
) -> None:
    c = cockcroft_gault(
        age_years=80, weight_kg=weight, sex=Sex.MALE, creatinine=cre(88.4, LabUnit.UMOL_L)
    )
    assert c.creatinine_mg_dl == 1.0
    assert c.value_ml_min == crcl


def test_cockcroft_gault_female_factor() -> None:
    c = cockcroft_gault(age_years=80, weight_kg=72.0, sex=Sex.FEMALE, creatinine=cre(1.0))
    assert c.value_ml_min == 51.0
    assert c.components["sex_factor"] == 0.85


def test_cockcroft_gault_missing_inputs_are_named() -> None:
    c = cockcroft_gault(age_years=None, weight_kg=None, sex=None, creatinine=None)
    assert c.value_ml_min is None
    assert c.missing == ("creatinine", "age", "weight_kg", "sex")


@pytest.mark.parametrize("unit", [None, LabUnit.MMOL_L, LabUnit.G_L])
def test_creatinine_unit_is_never_guessed(unit: LabUnit | None) -> None:
    with pytest.raises(UnitError):
        creatinine_mg_dl(1.0, unit)
    with pytest.raises(UnitError):
        cockcroft_gault(age_years=70, weight_kg=70.0, sex=Sex.MALE, creatinine=cre(1.0, unit))


@pytest.mark.parametrize(
    ("umol", "mg"), [(88.4, 1.0), (123.76, 1.4), (44.2, 0.5), (176.8, 2.0), (110.0, 1.2443)]
)
def test_umol_to_mg(umol: float, mg: float) -> None:
    assert creatinine_mg_dl(umol, LabUnit.UMOL_L) == mg


RENAL_TABLE = [
    # baseline, latest, withheld, action, normal baseline
    (1.0, 1.49, False, RenalAction.GIVE, True),
    (1.0, 1.5, False, RenalAction.WITHHOLD, True),
    (0.9, 1.4, False, RenalAction.WITHHOLD, True),  # float trap: 1.4 − 0.9 = 0.4999…
    (1.39, 1.88, False, RenalAction.GIVE, True),
    (1.39, 1.89, False, RenalAction.WITHHOLD, True),
    # Exactly 1.4: undefined in the label (None); the stricter 0.5 rise applies.
    (1.4, 1.89, False, RenalAction.GIVE, None),
    (1.4, 1.9, False, RenalAction.WITHHOLD, None),
    (1.41, 2.4, False, RenalAction.GIVE, False),
    (1.41, 2.41, False, RenalAction.WITHHOLD, False),
    (2.0, 3.0, False, RenalAction.WITHHOLD, False),
    (1.0, 0.8, False, RenalAction.GIVE, True),
    (1.0, 1.1, True, RenalAction.RESUME, True),
    (1.0, 1.11, True, RenalAction.KEEP_WITHHOLDING, True),
    (2.0, 2.2, True, RenalAction.RESUME, False),
    (2.0, 2.21, True, RenalAction.KEEP_WITHHOLDING, False),
]


@pytest.mark.parametrize(("baseline", "latest", "withheld", "action", "normal"), RENAL_TABLE)
def test_withhold_resume(
    baseline: float, latest: float, withheld: bool, action: RenalAction, normal: bool | None
) -> None:
    r = zoledronic_renal_check(baseline_mg_dl=baseline, latest_mg_dl=latest, withheld=withheld)
    assert r.action is action
    assert r.baseline_normal is normal
    assert r.withhold_threshold_mg_dl == (1.0 if normal is False else 0.5)
    assert ("undefined in the label" in r.explanation) is (normal is None)


@pytest.mark.parametrize(
    ("baseline", "latest", "action", "normal"),
    [
        (80.0, 124.0, RenalAction.WITHHOLD, True),  # +44 µmol/L; 0.4977 mg/dL converted
        (80.0, 123.0, RenalAction.GIVE, True),
        (124.0, 168.0, RenalAction.WITHHOLD, None),  # exactly 124: undefined, stricter 44
        (130.0, 217.0, RenalAction.GIVE, False),
        (130.0, 218.0, RenalAction.WITHHOLD, False),  # +88 µmol/L
    ],
)
def test_withhold_in_micromol(
    baseline: float, latest: float, action: RenalAction, normal: bool | None
) -> None:
    r = zoledronic_renal_check(
        baseline_mg_dl=round(baseline / 88.4, 4),
        latest_mg_dl=round(latest / 88.4, 4),
        withheld=False,
        recorded_umol_l=(baseline, latest),
    )
    assert r.action is action
    assert r.baseline_normal is normal
    assert "µmol/L" in r.explanation
