"""The demo cohort, as data: 42 fictional patients on the bone-metastasis board and 2 on
the sarcoma board.

Everyone here is made up. Names are "Demo-<bird>", hospital numbers "DEMO0001"…, and
every date is given as days before the day of loading (`Ago`) so the cohort stays
current whenever it is loaded.

Each case is chosen to show something the board or the engine has to handle; the
comment on each says what. SINS and Mirels totals are written next to the findings so
a reader can check them against the rules reference (Fisher 2010, Mirels 1989):
the tests recompute them with the engine's own score functions.

Creatinine clearances (Cockcroft–Gault, actual weight) were chosen to fall in every
zoledronic-acid dose band: > 60, 50–60, 40–49, 30–39, < 30 mL/min.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cases.choices import (
    Alignment,
    BoneDiseaseExtent,
    BoneTargetedAgent,
    CastrationStatus,
    CorticalInvolvement,
    DecisionItemVerdict,
    Her2Status,
    HormoneReceptorStatus,
    ImagingModality,
    LabAnalyte,
    LabUnit,
    LesionType,
    LimbPain,
    LongBoneSegment,
    PosterolateralInvolvement,
    PrimarySite,
    Radioisotope,
    RadiotherapyTechnique,
    Sex,
    SpinalPain,
    SurgeryKind,
    SurvivalBand,
    SystemicTherapyKind,
)
from cases.choices import Bone as B


@dataclass(frozen=True)
class Ago:
    """A date `days` before the day the demo is loaded (a DateTimeField gets 08:30)."""

    days: int


MAIN_BOARD = "Bone metastasis MDT"
SARCOMA_BOARD = "Sarcoma and bone MDT"

M, F = Sex.MALE, Sex.FEMALE
UMOL, MGDL = LabUnit.UMOL_L, LabUnit.MG_DL
LYTIC, MIXED, BLASTIC = LesionType.LYTIC, LesionType.MIXED, LesionType.OSTEOBLASTIC
MECH, OCC, NOPAIN = SpinalPain.MECHANICAL, SpinalPain.OCCASIONAL, SpinalPain.NONE
NORMAL, DE_NOVO, SUBLUX = Alignment.NORMAL, Alignment.DE_NOVO_DEFORMITY, Alignment.SUBLUXATION
PL_NONE, PL_UNI, PL_BI = (PosterolateralInvolvement.NONE, PosterolateralInvolvement.UNILATERAL,
                          PosterolateralInvolvement.BILATERAL)
MILD, MODERATE, FUNCTIONAL = LimbPain.MILD, LimbPain.MODERATE, LimbPain.FUNCTIONAL
LT_THIRD, MID_THIRD, GT_TWO_THIRDS = (CorticalInvolvement.LESS_THAN_THIRD,
                                      CorticalInvolvement.THIRD_TO_TWO_THIRDS,
                                      CorticalInvolvement.MORE_THAN_TWO_THIRDS)
#: A breast primary's hormone-receptor (ER/PR) and HER2 status, in that order.
HR_POS, HR_NEG, HR_UNKNOWN = (HormoneReceptorStatus.POSITIVE, HormoneReceptorStatus.NEGATIVE,
                              HormoneReceptorStatus.UNKNOWN)
HER2_POS, HER2_NEG, HER2_UNKNOWN = Her2Status.POSITIVE, Her2Status.NEGATIVE, Her2Status.UNKNOWN


# --- Builders of the spec dicts -------------------------------------------------------

def spine(key: str, level: str, *, pain, kind, align, collapse, pl, body=None,
          **extra: Any) -> dict[str, Any]:
    """A spinal lesion with its SINS findings (None = not recorded)."""
    bone = B.SACRUM if level.startswith("S") else B.VERTEBRA
    return {"key": key, "bone": bone, "vertebral_level": level, "lesion_type": kind,
            "spinal_pain": pain or "", "alignment": align or "", "collapse_percent": collapse,
            "body_involvement_percent": body, "posterolateral": pl or "",
            "painful": pain in (MECH, OCC) if pain else None, **extra}


def limb(key: str, bone: str, segment: str, *, side: str, pain, kind, cortex,
         **extra: Any) -> dict[str, Any]:
    """A long-bone lesion with its Mirels findings."""
    return {"key": key, "bone": bone, "long_bone_segment": segment, "laterality": side,
            "lesion_type": kind, "limb_pain": pain, "cortical_involvement": cortex,
            "painful": True, **extra}


def flat(key: str, bone: str, *, kind, side: str = "", **extra: Any) -> dict[str, Any]:
    """A lesion of a bone scored by neither SINS nor Mirels (pelvis, rib, skull…)."""
    return {"key": key, "bone": bone, "lesion_type": kind, "laterality": side, **extra}


def lab(analyte: str, value: str, unit: str, days: int) -> tuple[str, str, str, Ago]:
    return (analyte, value, unit, Ago(days))


def creatinine(value: str, unit: str, *days: int) -> list[tuple[str, str, str, Ago]]:
    """The same creatinine at several dates (a stable renal function)."""
    return [lab(LabAnalyte.CREATININE, value, unit, d) for d in days]


def panel(days: int, *, ca: str = "2.35", alp: str = "140", hb: str = "12.6",
          anc: str | None = "3.4", plt: str | None = "230", wbc: str | None = "6.2",
          ) -> list[tuple[str, str, str, Ago]]:
    """Calcium (mmol/L), ALP, and a blood count: haemoglobin (g/dL), ANC, platelets and
    WBC (×10⁹/L). Pass None to leave a count out (a case that is missing it)."""
    rows = [lab(LabAnalyte.CALCIUM, ca, LabUnit.MMOL_L, days),
            lab(LabAnalyte.ALP, alp, LabUnit.U_L, days),
            lab(LabAnalyte.HAEMOGLOBIN, hb, LabUnit.G_DL, days)]
    for analyte, value in ((LabAnalyte.ANC, anc), (LabAnalyte.PLATELETS, plt),
                           (LabAnalyte.WBC, wbc)):
        if value is not None:
            rows.append(lab(analyte, value, LabUnit.E9_L, days))
    return rows


def bta(agent: str, dose: str, weeks: int, start: int | None, stop: int | None = None,
        **extra: Any) -> dict[str, Any]:
    return {"agent": agent, "dose_mg": dose, "interval_weeks": weeks,
            "started_on": Ago(start) if start is not None else None,
            "stopped_on": Ago(stop) if stop is not None else None, **extra}


def drug(kind: str, name: str, start: int | None, stop: int | None = None,
         planned: bool = False) -> dict[str, Any]:
    return {"kind": kind, "drug": name, "started_on": Ago(start) if start is not None else None,
            "stopped_on": Ago(stop) if stop is not None else None, "planned": planned}


def rt(site: str, dose: str, fractions: int, start: int, end: int, *, lesion: str | None = None,
       technique: str = RadiotherapyTechnique.CONVENTIONAL) -> dict[str, Any]:
    return {"site": site, "dose_gy": dose, "fractions": fractions, "technique": technique,
            "started_on": Ago(start), "ended_on": Ago(end), "lesion": lesion}


def imaging(modality: str, region: str, days: int, report: str, lesions: tuple[str, ...] = (),
            flare: bool = False) -> dict[str, Any]:
    return {"modality": modality, "region": region, "performed_on": Ago(days),
            "report": report, "lesions": lesions, "suspected_flare": flare}


ADT = SystemicTherapyKind.ADT
ZOL, DENO = BoneTargetedAgent.ZOLEDRONIC_ACID, BoneTargetedAgent.DENOSUMAB
SBRT = RadiotherapyTechnique.SBRT
CT, MRI, MRI_SPINE = ImagingModality.CT, ImagingModality.MRI, ImagingModality.MRI_WHOLE_SPINE
BONE_SCAN, PSMA, FDG, XR = (ImagingModality.BONE_SCAN, ImagingModality.PET_CT_PSMA,
                            ImagingModality.PET_CT_FDG, ImagingModality.RADIOGRAPH)


# --- The cohort -----------------------------------------------------------------------
# Keys: n (DEMO number), board, given, family, sex, age (whole years on the load day),
# weight (kg, None = not recorded), ecog (None = not recorded), primary, patient (other
# Patient fields; defaults in builders.PATIENT_DEFAULTS), lesions, labs, bta, systemic,
# rt, surgery, isotopes, imaging.

PATIENTS: list[dict[str, Any]] = [
    # ---------------------------------------------------------------- prostate, CRPC
    {   # Radium-223 candidate whose counts pass (ANC 2.1, plt 215, Hb 11.9); SINS 7.
        "n": 1, "given": "Arthur", "family": "Demo-Wren", "sex": M, "age": 68,
        "weight": "82.0", "ecog": 1,
        "primary": {"site": PrimarySite.PROSTATE, "histology": "Acinar adenocarcinoma, "
                    "Gleason 4+4", "diagnosed_on": Ago(1650),
                    "castration_status": CastrationStatus.RESISTANT, "prior_mcrpc_lines": 2},
        "patient": {"worst_pain_nrs": 6, "bone_disease_extent": BoneDiseaseExtent.WIDESPREAD},
        # T12 3 + occasional 1 + lytic 2 + normal 0 + no collapse, 40 % body 0 + unilat 1 = 7
        "lesions": [spine("a", "T12", pain=OCC, kind=LYTIC, align=NORMAL, collapse="0",
                          body="40", pl=PL_UNI),
                    flat("b", B.PELVIS, kind=BLASTIC, side="right", painful=True),
                    flat("c", B.RIB, kind=BLASTIC, side="left", painful=False)],
        "labs": [*creatinine("85", UMOL, 90, 6), *panel(6, anc="2.1", plt="215", hb="11.9"),
                 lab(LabAnalyte.PSA, "48.2", LabUnit.NG_ML, 6)],
        "bta": [bta(DENO, "120", 4, 380)],
        "systemic": [drug(ADT, "Leuprorelin", 1640),
                     drug(SystemicTherapyKind.ENZALUTAMIDE, "Enzalutamide", 900, 420),
                     drug(SystemicTherapyKind.CHEMOTHERAPY, "Docetaxel", 400, 250)],
        "isotopes": [{"agent": Radioisotope.RADIUM_223, "planned": True}],
        "imaging": [imaging(BONE_SCAN, "Whole body", 20, "Multiple sclerotic metastases in "
                            "the spine, pelvis and ribs.", ("a", "b", "c"))],
    },
    {   # Radium-223 candidate FAILING first-dose counts (ANC 1.2, plt 88, Hb 9.4), and on
        # abiraterone + prednisone (RAD-04). Zoledronic acid at CrCl 50–60 (55.0).
        "n": 2, "given": "Bernard", "family": "Demo-Finch", "sex": M, "age": 74,
        "weight": "72.0", "ecog": 2,
        "primary": {"site": PrimarySite.PROSTATE, "histology": "Acinar adenocarcinoma",
                    "diagnosed_on": Ago(2400), "castration_status": CastrationStatus.RESISTANT,
                    "prior_mcrpc_lines": 3},
        "patient": {"worst_pain_nrs": 5, "bone_disease_extent": BoneDiseaseExtent.WIDESPREAD},
        # L4 2 + occasional 1 + blastic 0 + normal 0 + 20 % body 0 + none 0 = 3
        "lesions": [spine("a", "L4", pain=OCC, kind=BLASTIC, align=NORMAL, collapse="0",
                          body="20", pl=PL_NONE),
                    flat("b", B.PELVIS, kind=BLASTIC, side="bilateral", painful=True)],
        "labs": [*creatinine("1.2", MGDL, 120, 30, 5),
                 *panel(5, hb="9.4", anc="1.2", plt="88", alp="412")],
        "bta": [bta(ZOL, "3.5", 4, 300)],
        "systemic": [drug(ADT, "Goserelin", 2390),
                     drug(SystemicTherapyKind.ABIRATERONE_PREDNISONE,
                          "Abiraterone 1000 mg + prednisone 5 mg bd", 200)],
        "isotopes": [{"agent": Radioisotope.RADIUM_223, "planned": True}],
        "imaging": [imaging(BONE_SCAN, "Whole body", 25, "Diffuse skeletal metastases.",
                            ("a", "b"))],
    },
    {   # Rising creatinine on zoledronic acid: baseline 79.6 µmol/L (0.90 mg/dL, normal)
        # before the first dose, now 132.6 µmol/L (1.50 mg/dL): a rise of 0.6 mg/dL
        # ≥ 0.5 → withhold (BTA-04). SINS 9.
        "n": 3, "given": "Cyril", "family": "Demo-Heron", "sex": M, "age": 71,
        "weight": "78.0", "ecog": 1,
        "primary": {"site": PrimarySite.PROSTATE, "histology": "Acinar adenocarcinoma",
                    "diagnosed_on": Ago(1900), "castration_status": CastrationStatus.RESISTANT,
                    "prior_mcrpc_lines": 1},
        # Furosemide for ankle oedema and naproxen for pain: the creatinine rise on
        # zoledronic acid prompts a hydration and co-medication review (BTA-11).
        # L2 2 + mechanical 3 + lytic 2 + normal 0 + collapse 20 % 2 + none 0 = 9
        "lesions": [spine("a", "L2", pain=MECH, kind=LYTIC, align=NORMAL, collapse="20",
                          body="45", pl=PL_NONE)],
        "labs": [lab(LabAnalyte.CREATININE, "79.6", UMOL, 180),
                 lab(LabAnalyte.CREATININE, "84.0", UMOL, 90),
                 lab(LabAnalyte.CREATININE, "132.6", UMOL, 3), *panel(3)],
        "bta": [bta(ZOL, "4", 4, 150)],
        "systemic": [drug(ADT, "Degarelix", 1890),
                     drug(SystemicTherapyKind.ENZALUTAMIDE, "Enzalutamide", 500)],
        "patient": {"last_dental_exam_on": Ago(160), "on_loop_diuretic": True, "on_nsaid": True},
        "imaging": [imaging(MRI, "Lumbar spine", 12, "L2 lytic metastasis, 20 % height loss.",
                            ("a",))],
    },
    # ---------------------------------------------------------------- prostate, CSPC
    {   # Castration-sensitive: bone-targeted agents bring no skeletal benefit (BTA-01);
        # bone scan flare 8 weeks after starting ADT (IMG-02). SINS 0 (S3).
        "n": 4, "given": "Desmond", "family": "Demo-Lark", "sex": M, "age": 66,
        "weight": "88.5", "ecog": 0,
        "primary": {"site": PrimarySite.PROSTATE, "histology": "Acinar adenocarcinoma",
                    "diagnosed_on": Ago(75), "castration_status": CastrationStatus.SENSITIVE},
        # S3 rigid 0 + pain-free 0 + blastic 0 + normal 0 + 10 % body 0 + none 0 = 0
        "lesions": [spine("a", "S3", pain=NOPAIN, kind=BLASTIC, align=NORMAL, collapse="0",
                          body="10", pl=PL_NONE),
                    flat("b", B.RIB, kind=BLASTIC, side="right", painful=False)],
        "labs": [*creatinine("0.95", MGDL, 80, 4), *panel(4, alp="260"),
                 lab(LabAnalyte.PSA, "3.1", LabUnit.NG_ML, 4)],
        "systemic": [drug(ADT, "Leuprorelin", 70)],
        "imaging": [imaging(BONE_SCAN, "Whole body", 9, "Increased uptake at S3 and the "
                            "right 6th rib compared with baseline; flare suspected.",
                            ("a", "b"), flare=True)],
    },
    {   # CSPC on ADT + abiraterone; pending invasive dental work. Humerus Mirels 4. SINS 1.
        "n": 5, "given": "Edwin", "family": "Demo-Plover", "sex": M, "age": 59,
        "weight": "91.0", "ecog": 1,
        "primary": {"site": PrimarySite.PROSTATE, "histology": "Acinar adenocarcinoma",
                    "diagnosed_on": Ago(200), "castration_status": CastrationStatus.SENSITIVE},
        "patient": {"pending_invasive_dental_work": True, "last_dental_exam_on": Ago(30)},
        # T6 1 + none 0 + blastic 0 + normal 0 + 15 % 0 + none 0 = 1
        # humerus 1 + mild 1 + blastic 1 + < 1/3 1 = 4
        "lesions": [spine("a", "T6", pain=NOPAIN, kind=BLASTIC, align=NORMAL, collapse="0",
                          body="15", pl=PL_NONE),
                    limb("b", B.HUMERUS, LongBoneSegment.DIAPHYSIS, side="left", pain=MILD,
                         kind=BLASTIC, cortex=LT_THIRD)],
        "labs": [*creatinine("88", UMOL, 60, 7), *panel(7)],
        "systemic": [drug(ADT, "Goserelin", 195),
                     drug(SystemicTherapyKind.ABIRATERONE_PREDNISONE,
                          "Abiraterone + prednisone", 180)],
        "imaging": [imaging(PSMA, "Whole body", 190, "PSMA-avid T6 and left humerus.",
                            ("a", "b"))],
    },
    {   # Oligometastatic, ECOG 0: SBRT candidate. NO WEIGHT RECORDED (missing data:
        # creatinine clearance cannot be computed). SINS 4.
        "n": 6, "given": "Francis", "family": "Demo-Rook", "sex": M, "age": 77,
        "weight": None, "ecog": 0,
        "primary": {"site": PrimarySite.PROSTATE, "histology": "Acinar adenocarcinoma",
                    "diagnosed_on": Ago(110), "castration_status": CastrationStatus.SENSITIVE},
        "patient": {"bone_disease_extent": BoneDiseaseExtent.OLIGOMETASTATIC},
        # L5 3 + occasional 1 + blastic 0 + normal 0 + 30 % 0 + none 0 = 4
        "lesions": [spine("a", "L5", pain=OCC, kind=BLASTIC, align=NORMAL, collapse="0",
                          body="30", pl=PL_NONE)],
        "labs": [*creatinine("1.1", MGDL, 20), *panel(20)],
        "systemic": [drug(ADT, "Leuprorelin", 100)],
        "imaging": [imaging(PSMA, "Whole body", 30, "Solitary PSMA-avid L5 lesion.", ("a",))],
    },
    {   # Castration status unknown, NO ECOG recorded, no dental examination on file.
        "n": 7, "given": "Gordon", "family": "Demo-Swift", "sex": M, "age": 80,
        "weight": "70.0", "ecog": None,
        "primary": {"site": PrimarySite.PROSTATE, "histology": "Adenocarcinoma",
                    "diagnosed_on": Ago(40), "castration_status": CastrationStatus.UNKNOWN},
        "patient": {"last_dental_exam_on": None, "expected_survival": ""},
        # femur diaphysis 2 + moderate 2 + blastic 1 + < 1/3 1 = 6
        "lesions": [limb("a", B.FEMUR, LongBoneSegment.DIAPHYSIS, side="right",
                         pain=MODERATE, kind=BLASTIC, cortex=LT_THIRD)],
        "labs": [*creatinine("1.0", MGDL, 14), *panel(14)],
        "imaging": [imaging(XR, "Right femur", 16, "Sclerotic lesion of the femoral shaft.",
                            ("a",))],
    },
    {   # SUSPECTED CORD COMPRESSION (MSCC-01): new back pain and leg weakness since
        # yesterday; whole-spine MRI not yet done. Urgent on the coming agenda. SINS 14.
        "n": 8, "given": "Harold", "family": "Demo-Teal", "sex": M, "age": 69,
        "weight": "76.0", "ecog": 2,
        "primary": {"site": PrimarySite.PROSTATE, "histology": "Acinar adenocarcinoma",
                    "diagnosed_on": Ago(1400), "castration_status": CastrationStatus.RESISTANT,
                    "prior_mcrpc_lines": 2},
        "patient": {"neurological_deficit": True, "suspected_cord_compression": True,
                    "neurological_onset_on": Ago(1), "paraplegic": False,
                    "expected_survival": SurvivalBand.THREE_TO_12_MONTHS,
                    "worst_pain_nrs": 8, "pain_uncontrolled": True,
                    # Pain on movement and on sitting up: MSCC-04 immobilisation.
                    "spinal_instability_signs": True},
        # T7 1 + mechanical 3 + lytic 2 + de novo 2 + collapse 60 % 3 + bilateral 3 = 14
        "lesions": [spine("a", "T7", pain=MECH, kind=LYTIC, align=DE_NOVO, collapse="60",
                          body="90", pl=PL_BI, epidural_extension=True, soft_tissue_mass=True)],
        "labs": [*creatinine("92", UMOL, 40, 1), *panel(1, ca="2.48")],
        "systemic": [drug(ADT, "Leuprorelin", 1390),
                     drug(SystemicTherapyKind.CORTICOSTEROID, "Dexamethasone 16 mg daily", 1)],
        "imaging": [imaging(CT, "Thoracic spine", 1, "T7 lytic destruction with 60 % "
                            "collapse and epidural soft tissue; MRI advised.", ("a",))],
    },
    {   # Pain back 9 months after 8 Gy/1 to T10: re-irradiation (RT-05). SINS 7.
        "n": 9, "given": "Ivor", "family": "Demo-Crane", "sex": M, "age": 72,
        "weight": "80.0", "ecog": 1,
        "primary": {"site": PrimarySite.PROSTATE, "histology": "Acinar adenocarcinoma",
                    "diagnosed_on": Ago(2100), "castration_status": CastrationStatus.RESISTANT,
                    "prior_mcrpc_lines": 1},
        "patient": {"worst_pain_nrs": 7},
        # T10 1 + mechanical 3 + mixed 1 + normal 0 + collapse 10 % 2 + none 0 = 7
        "lesions": [spine("a", "T10", pain=MECH, kind=MIXED, align=NORMAL, collapse="10",
                          body="50", pl=PL_NONE)],
        "labs": [*creatinine("1.05", MGDL, 60, 8), *panel(8)],
        "bta": [bta(DENO, "120", 4, 500)],
        "systemic": [drug(ADT, "Goserelin", 2090),
                     drug(SystemicTherapyKind.ENZALUTAMIDE, "Enzalutamide", 700)],
        "rt": [rt("T10 vertebra", "8", 1, 275, 275, lesion="a")],
        "imaging": [imaging(MRI, "Thoracic spine", 15, "T10 mixed lesion, 10 % height loss.",
                            ("a",))],
    },
    {   # Denosumab with low calcium (2.02 mmol/L) and low vitamin D. Peritrochanteric
        # femur, Mirels 12: impending fracture.
        "n": 10, "given": "Jasper", "family": "Demo-Kite", "sex": M, "age": 75,
        "weight": "68.0", "ecog": 2,
        "primary": {"site": PrimarySite.PROSTATE, "histology": "Acinar adenocarcinoma",
                    "diagnosed_on": Ago(1500), "castration_status": CastrationStatus.RESISTANT,
                    "prior_mcrpc_lines": 2},
        "patient": {"new_thigh_hip_groin_pain": True, "worst_pain_nrs": 7},
        # peritrochanteric 3 + functional 3 + lytic 3 + > 2/3 3 = 12
        "lesions": [limb("a", B.FEMUR, LongBoneSegment.PERITROCHANTERIC, side="left",
                         pain=FUNCTIONAL, kind=LYTIC, cortex=GT_TWO_THIRDS)],
        "labs": [*creatinine("1.0", MGDL, 30, 6), *panel(6, ca="2.02"),
                 lab(LabAnalyte.VITAMIN_D, "28", LabUnit.NMOL_L, 6)],
        "bta": [bta(DENO, "120", 4, 700)],
        "systemic": [drug(ADT, "Leuprorelin", 1490)],
        "imaging": [imaging(XR, "Left femur", 10, "Lytic lesion of the left "
                            "intertrochanteric region, > 2/3 of the cortex.", ("a",))],
    },
    {   # Radium-223 asked for, but visceral (liver) metastases: not eligible (RAD-01).
        "n": 11, "given": "Kenneth", "family": "Demo-Stork", "sex": M, "age": 63,
        "weight": "84.0", "ecog": 1,
        "primary": {"site": PrimarySite.PROSTATE, "histology": "Acinar adenocarcinoma",
                    "diagnosed_on": Ago(1300), "castration_status": CastrationStatus.RESISTANT,
                    "prior_mcrpc_lines": 2},
        "patient": {"visceral_metastases": True, "worst_pain_nrs": 5,
                    "bone_disease_extent": BoneDiseaseExtent.MULTIPLE},
        "lesions": [flat("a", B.PELVIS, kind=BLASTIC, side="left", painful=True),
                    flat("b", B.STERNUM, kind=BLASTIC)],
        "labs": [*creatinine("0.9", MGDL, 21), *panel(21, anc="3.4", plt="240", hb="12.9")],
        "systemic": [drug(ADT, "Degarelix", 1290)],
        "isotopes": [{"agent": Radioisotope.RADIUM_223, "planned": True}],
        "imaging": [imaging(CT, "Chest, abdomen and pelvis", 18, "New liver metastases; "
                            "sclerotic pelvic and sternal lesions.", ("a", "b"))],
    },
    {   # On docetaxel; CrCl 40–49 (41.7 mL/min, creatinine in µmol/L).
        "n": 12, "given": "Leonard", "family": "Demo-Ibis", "sex": M, "age": 70,
        "weight": "60.0", "ecog": 1,
        "primary": {"site": PrimarySite.PROSTATE, "histology": "Acinar adenocarcinoma",
                    "diagnosed_on": Ago(1100), "castration_status": CastrationStatus.RESISTANT,
                    "prior_mcrpc_lines": 1},
        "lesions": [flat("a", B.RIB, kind=BLASTIC, side="left", painful=True)],
        "labs": [*creatinine("123.8", UMOL, 45, 9), *panel(9, anc="2.8", plt="180")],
        "systemic": [drug(ADT, "Leuprorelin", 1090),
                     drug(SystemicTherapyKind.CHEMOTHERAPY, "Docetaxel 75 mg/m²", 60)],
        "imaging": [imaging(BONE_SCAN, "Whole body", 50, "Left rib metastasis.", ("a",))],
    },
    # ---------------------------------------------------------------- breast
    {   # HR+/HER2− on letrozole + palbociclib, zoledronic acid every 12 weeks. Femur
        # proximal Mirels 9 (impending fracture). SINS 2.
        "n": 13, "given": "Margaret", "family": "Demo-Linnet", "sex": F, "age": 58,
        "weight": "70.0", "ecog": 1,
        "primary": {"site": PrimarySite.BREAST, "histology": "Invasive ductal carcinoma",
                    "diagnosed_on": Ago(1200), "hormone_receptor_status": HR_POS,
                    "her2_status": HER2_NEG},
        # T4 1 + occasional 1 + blastic 0 + normal 0 + 30 % 0 + none 0 = 2
        # femur proximal 2 + functional 3 + lytic 3 + < 1/3 1 = 9
        "lesions": [spine("a", "T4", pain=OCC, kind=BLASTIC, align=NORMAL, collapse="0",
                          body="30", pl=PL_NONE),
                    limb("b", B.FEMUR, LongBoneSegment.PROXIMAL, side="right",
                         pain=FUNCTIONAL, kind=LYTIC, cortex=LT_THIRD)],
        "labs": [*creatinine("0.8", MGDL, 200, 40), *panel(40)],
        "bta": [bta(ZOL, "4", 12, 190)],
        "systemic": [drug(SystemicTherapyKind.ENDOCRINE, "Letrozole", 400),
                     drug(SystemicTherapyKind.TARGETED, "Palbociclib", 400)],
        "patient": {"last_dental_exam_on": Ago(210)},
        "imaging": [imaging(CT, "Thorax and right femur", 28, "T4 sclerotic; lytic lesion of "
                            "the right proximal femur.", ("a", "b"))],
    },
    {   # SINS exactly 12 (upper edge of "potentially unstable").
        "n": 14, "given": "Norah", "family": "Demo-Robin", "sex": F, "age": 64,
        "weight": "66.0", "ecog": 1,
        "primary": {"site": PrimarySite.BREAST, "histology": "Invasive lobular carcinoma",
                    "diagnosed_on": Ago(1800), "hormone_receptor_status": HR_POS,
                    "her2_status": HER2_NEG},
        # L1 3 + mechanical 3 + lytic 2 + de novo 2 + collapse 20 % 2 + none 0 = 12
        "lesions": [spine("a", "L1", pain=MECH, kind=LYTIC, align=DE_NOVO, collapse="20",
                          body="60", pl=PL_NONE)],
        "labs": [*creatinine("71", UMOL, 50, 6), *panel(6)],
        "bta": [bta(DENO, "120", 4, 330)],
        "systemic": [drug(SystemicTherapyKind.ENDOCRINE, "Fulvestrant", 330)],
        "imaging": [imaging(MRI, "Lumbar spine", 11, "L1 lytic lesion with kyphotic "
                            "deformity.", ("a",))],
    },
    {   # HR−/HER2+ with brain metastases; humerus Mirels 8 (borderline). No bone agent yet.
        "n": 15, "given": "Olive", "family": "Demo-Martin", "sex": F, "age": 49,
        "weight": "61.0", "ecog": 1,
        "primary": {"site": PrimarySite.BREAST, "histology": "Invasive ductal carcinoma",
                    "diagnosed_on": Ago(700), "hormone_receptor_status": HR_NEG,
                    "her2_status": HER2_POS},
        "patient": {"brain_metastases": True},
        # humerus 1 + functional 3 + lytic 3 + < 1/3 1 = 8
        "lesions": [limb("a", B.HUMERUS, LongBoneSegment.PROXIMAL, side="right",
                         pain=FUNCTIONAL, kind=LYTIC, cortex=LT_THIRD)],
        "labs": [*creatinine("0.7", MGDL, 33), *panel(33)],
        "systemic": [drug(SystemicTherapyKind.TARGETED, "Trastuzumab deruxtecan", 120)],
        "imaging": [imaging(XR, "Right humerus", 35, "Lytic proximal humeral lesion.", ("a",))],
    },
    {   # Triple negative, capecitabine after paclitaxel + bevacizumab (anti-angiogenic:
        # ONJ risk factor). SINS exactly 13 (lower edge of "unstable").
        "n": 16, "given": "Pauline", "family": "Demo-Dunlin", "sex": F, "age": 55,
        "weight": "64.0", "ecog": 1,
        "primary": {"site": PrimarySite.BREAST, "histology": "Invasive ductal carcinoma",
                    "diagnosed_on": Ago(600), "hormone_receptor_status": HR_NEG,
                    "her2_status": HER2_NEG},
        # C7 3 + mechanical 3 + lytic 2 + de novo 2 + collapse 10 % 2 + unilateral 1 = 13
        "lesions": [spine("a", "C7", pain=MECH, kind=LYTIC, align=DE_NOVO, collapse="10",
                          body="70", pl=PL_UNI)],
        "labs": [*creatinine("0.75", MGDL, 20, 5), *panel(5, anc="2.4", plt="160")],
        "systemic": [drug(SystemicTherapyKind.CHEMOTHERAPY, "Paclitaxel", 400, 200),
                     drug(SystemicTherapyKind.ANTI_ANGIOGENIC, "Bevacizumab", 400, 200),
                     drug(SystemicTherapyKind.CHEMOTHERAPY, "Capecitabine", 150)],
        "imaging": [imaging(MRI, "Cervical spine", 8, "C7 lytic lesion with focal kyphosis.",
                            ("a",))],
    },
    {   # CrCl < 30 (15.7 mL/min, µmol/L): zoledronic acid stopped; poor oral hygiene.
        "n": 17, "given": "Rosalind", "family": "Demo-Siskin", "sex": F, "age": 82,
        "weight": "55.0", "ecog": 3,
        "primary": {"site": PrimarySite.BREAST, "histology": "Invasive ductal carcinoma",
                    "diagnosed_on": Ago(3000), "hormone_receptor_status": HR_POS,
                    "her2_status": HER2_NEG},
        "patient": {"poor_oral_hygiene": True,
                    "expected_survival": SurvivalBand.THREE_TO_12_MONTHS},
        "lesions": [flat("a", B.PELVIS, kind=MIXED, side="left", painful=True),
                    flat("b", B.SKULL, kind=LYTIC)],
        "labs": [*creatinine("212.2", UMOL, 90, 20), *panel(20, ca="2.41")],
        "bta": [bta(ZOL, "3.0", 4, 700, 60)],
        "systemic": [drug(SystemicTherapyKind.ENDOCRINE, "Anastrozole", 900)],
        "imaging": [imaging(BONE_SCAN, "Whole body", 100, "Pelvic and skull metastases.",
                            ("a", "b"))],
    },
    {   # Collapse EXACTLY 50 %: SINS 8–9, the engine must not pick 2 or 3 points.
        "n": 18, "given": "Sylvia", "family": "Demo-Avocet", "sex": F, "age": 62,
        "weight": "72.0", "ecog": 1,
        "primary": {"site": PrimarySite.BREAST, "histology": "Invasive ductal carcinoma",
                    "diagnosed_on": Ago(1000), "hormone_receptor_status": HR_POS,
                    "her2_status": HER2_NEG},
        # L4 2 + mechanical 3 + mixed 1 + normal 0 + collapse 50 % (2–3) + none 0 = 8–9
        "lesions": [spine("a", "L4", pain=MECH, kind=MIXED, align=NORMAL, collapse="50",
                          body="80", pl=PL_NONE)],
        "labs": [*creatinine("0.85", MGDL, 25, 4), *panel(4)],
        "bta": [bta(DENO, "120", 4, 240)],
        "systemic": [drug(SystemicTherapyKind.ENDOCRINE, "Exemestane", 240),
                     drug(SystemicTherapyKind.TARGETED, "Everolimus", 240)],
        "imaging": [imaging(MRI, "Lumbar spine", 7, "L4 pathological fracture with 50 % loss "
                            "of height.", ("a",))],
    },
    {   # HR+/HER2+ ("triple positive"). Denosumab planned but an unhealed oral lesion
        # (BTA-08: delay the start). Tibia Mirels 7.
        "n": 19, "given": "Thelma", "family": "Demo-Bunting", "sex": F, "age": 47,
        "weight": "58.0", "ecog": 0,
        "primary": {"site": PrimarySite.BREAST, "histology": "Invasive ductal carcinoma",
                    "diagnosed_on": Ago(500), "hormone_receptor_status": HR_POS,
                    "her2_status": HER2_POS},
        "patient": {"unhealed_oral_lesions": True, "last_dental_exam_on": Ago(12)},
        # tibia 2 + moderate 2 + mixed 2 + < 1/3 1 = 7
        "lesions": [limb("a", B.TIBIA, LongBoneSegment.PROXIMAL, side="left", pain=MODERATE,
                         kind=MIXED, cortex=LT_THIRD)],
        "labs": [*creatinine("0.65", MGDL, 15), *panel(15)],
        "bta": [bta(DENO, "120", 4, None)],
        "systemic": [drug(SystemicTherapyKind.TARGETED, "Trastuzumab + pertuzumab", 480)],
        "imaging": [imaging(MRI, "Left knee", 20, "Mixed lesion of the proximal tibia.",
                            ("a",))],
    },
    {   # Hormone-receptor and HER2 status not known (biopsy pending), VISCERAL STATUS
        # UNKNOWN (not recorded). SINS 1.
        "n": 20, "given": "Ursula", "family": "Demo-Curlew", "sex": F, "age": 68,
        "weight": "74.0", "ecog": 2,
        "primary": {"site": PrimarySite.BREAST, "histology": "Carcinoma, biopsy pending",
                    "diagnosed_on": Ago(20), "hormone_receptor_status": HR_UNKNOWN,
                    "her2_status": HER2_UNKNOWN},
        "patient": {"visceral_metastases": None, "nodal_metastases": None,
                    "brain_metastases": None, "last_dental_exam_on": None},
        # T5 1 + pain-free 0 + blastic 0 + normal 0 + 20 % 0 + none 0 = 1
        "lesions": [spine("a", "T5", pain=NOPAIN, kind=BLASTIC, align=NORMAL, collapse="0",
                          body="20", pl=PL_NONE)],
        "labs": [*creatinine("76", UMOL, 10)],
        "imaging": [imaging(BONE_SCAN, "Whole body", 15, "Solitary T5 uptake.", ("a",))],
    },
    {   # Vertebroplasty at L1 three months ago for a painful compression fracture.
        "n": 21, "given": "Vera", "family": "Demo-Godwit", "sex": F, "age": 53,
        "weight": "69.0", "ecog": 1,
        "primary": {"site": PrimarySite.BREAST, "histology": "Invasive ductal carcinoma",
                    "diagnosed_on": Ago(900), "hormone_receptor_status": HR_POS,
                    "her2_status": HER2_NEG},
        # L1 3 + occasional 1 + mixed 1 + normal 0 + collapse 30 % 2 + none 0 = 7
        "lesions": [spine("a", "L1", pain=OCC, kind=MIXED, align=NORMAL, collapse="30",
                          body="60", pl=PL_NONE, pathological_fracture=True)],
        "labs": [*creatinine("0.7", MGDL, 100, 18), *panel(18)],
        "bta": [bta(ZOL, "4", 4, 880)],
        "systemic": [drug(SystemicTherapyKind.ENDOCRINE, "Tamoxifen", 880)],
        "surgery": [{"kind": SurgeryKind.VERTEBROPLASTY, "performed_on": Ago(90),
                     "lesion": "a", "notes": "L1 vertebroplasty, uneventful."}],
        "patient": {"last_dental_exam_on": Ago(300)},
        "imaging": [imaging(MRI, "Lumbar spine", 110, "L1 compression fracture, no canal "
                            "compromise.", ("a",))],
    },
    {   # SINS exactly 6 (upper edge of "stable").
        "n": 22, "given": "Winifred", "family": "Demo-Sanderling", "sex": F, "age": 60,
        "weight": "63.0", "ecog": 1,
        "primary": {"site": PrimarySite.BREAST, "histology": "Invasive ductal carcinoma",
                    "diagnosed_on": Ago(450), "hormone_receptor_status": HR_NEG,
                    "her2_status": HER2_NEG},
        # T12 3 + occasional 1 + blastic 0 + normal 0 + no collapse, 60 % body 1 + unilat 1 = 6
        "lesions": [spine("a", "T12", pain=OCC, kind=BLASTIC, align=NORMAL, collapse="0",
                          body="60", pl=PL_UNI)],
        "labs": [*creatinine("0.9", MGDL, 60, 14), *panel(14)],
        "systemic": [drug(SystemicTherapyKind.IMMUNOTHERAPY, "Pembrolizumab", 300),
                     drug(SystemicTherapyKind.CHEMOTHERAPY, "Nab-paclitaxel", 300)],
        "imaging": [imaging(CT, "Thoracolumbar spine", 22, "T12 sclerotic lesion.", ("a",))],
    },
    # ---------------------------------------------------------------- lung
    {   # EGFR-mutant adenocarcinoma; SINS 16 with subluxation: spinal surgery opinion.
        "n": 23, "given": "Albert", "family": "Demo-Gannet", "sex": M, "age": 66,
        "weight": "79.0", "ecog": 1,
        "primary": {"site": PrimarySite.LUNG, "histology": "Adenocarcinoma, EGFR exon 19",
                    "diagnosed_on": Ago(500)},
        "patient": {"expected_survival": SurvivalBand.MORE_THAN_12_MONTHS, "worst_pain_nrs": 8},
        # L1 3 + mechanical 3 + lytic 2 + subluxation 4 + collapse 60 % 3 + unilateral 1 = 16
        "lesions": [spine("a", "L1", pain=MECH, kind=LYTIC, align=SUBLUX, collapse="60",
                          body="90", pl=PL_UNI, soft_tissue_mass=True)],
        "labs": [*creatinine("97", UMOL, 35, 3), *panel(3)],
        "bta": [bta(DENO, "120", 4, 420)],
        "systemic": [drug(SystemicTherapyKind.TARGETED, "Osimertinib", 480)],
        "imaging": [imaging(MRI, "Lumbar spine", 4, "L1 lytic lesion with translation and "
                            "60 % collapse; no cord compression.", ("a",))],
    },
    {   # Cord compression at T9 treated last week: 20 Gy/5 with dexamethasone (decided at
        # the last meeting). SINS 11.
        "n": 24, "given": "Beatrice", "family": "Demo-Shag", "sex": F, "age": 71,
        "weight": "59.0", "ecog": 3,
        "primary": {"site": PrimarySite.LUNG, "histology": "Squamous cell carcinoma",
                    "diagnosed_on": Ago(300)},
        "patient": {"neurological_deficit": True, "suspected_cord_compression": True,
                    "neurological_onset_on": Ago(11), "cord_compression_on_imaging": True,
                    "compression_levels": 1, "paraplegic": False,
                    "expected_survival": SurvivalBand.THREE_TO_12_MONTHS,
                    "ill_fitting_dentures": True, "ambulatory": True,
                    "motor_deficit_days": 5},
        # T9 1 + mechanical 3 + lytic 2 + normal 0 + collapse 30 % 2 + bilateral 3 = 11
        "lesions": [spine("a", "T9", pain=MECH, kind=LYTIC, align=NORMAL, collapse="30",
                          body="80", pl=PL_BI, epidural_extension=True, escc_grade="2")],
        "labs": [*creatinine("0.8", MGDL, 12, 2), *panel(2)],
        "systemic": [drug(SystemicTherapyKind.IMMUNOTHERAPY, "Pembrolizumab", 250),
                     drug(SystemicTherapyKind.CORTICOSTEROID, "Dexamethasone, tapering", 11)],
        "rt": [rt("T8–T10", "20", 5, 10, 6, lesion="a")],
        "imaging": [imaging(MRI_SPINE, "Whole spine", 11, "Epidural disease at T9 compressing "
                            "the cord; single level.", ("a",))],
    },
    {   # ALK-positive; humerus Mirels 6.
        "n": 25, "given": "Cedric", "family": "Demo-Fulmar", "sex": M, "age": 58,
        "weight": "85.0", "ecog": 0,
        "primary": {"site": PrimarySite.LUNG, "histology": "Adenocarcinoma, ALK rearranged",
                    "diagnosed_on": Ago(260)},
        # humerus 1 + moderate 2 + mixed 2 + < 1/3 1 = 6
        "lesions": [limb("a", B.HUMERUS, LongBoneSegment.DIAPHYSIS, side="left",
                         pain=MODERATE, kind=MIXED, cortex=LT_THIRD)],
        "labs": [*creatinine("1.0", MGDL, 30), *panel(30)],
        "systemic": [drug(SystemicTherapyKind.TARGETED, "Alectinib", 250)],
        "imaging": [imaging(FDG, "Skull base to thigh", 40, "FDG-avid left humeral lesion.",
                            ("a",))],
    },
    {   # Small-cell, ECOG 3, expected survival < 3 months; ill-fitting dentures.
        "n": 26, "given": "Dorothy", "family": "Demo-Puffin", "sex": F, "age": 75,
        "weight": "52.0", "ecog": 3,
        "primary": {"site": PrimarySite.LUNG, "histology": "Small-cell carcinoma",
                    "diagnosed_on": Ago(90)},
        "patient": {"expected_survival": SurvivalBand.LESS_THAN_3_MONTHS,
                    "ill_fitting_dentures": True, "visceral_metastases": True,
                    "worst_pain_nrs": 7, "pain_uncontrolled": True},
        "lesions": [flat("a", B.ACETABULUM, kind=LYTIC, side="right", painful=True),
                    flat("b", B.RIB, kind=LYTIC, side="right", painful=True)],
        "labs": [*creatinine("0.9", MGDL, 10), *panel(10, hb="10.1", anc="1.9", plt="140")],
        "systemic": [drug(SystemicTherapyKind.CHEMOTHERAPY, "Carboplatin + etoposide", 80)],
        "imaging": [imaging(CT, "Pelvis", 12, "Lytic right acetabular metastasis.", ("a", "b"))],
    },
    {   # Distal femur Mirels 8 (borderline: orthopaedic opinion).
        "n": 27, "given": "Ernest", "family": "Demo-Skua", "sex": M, "age": 69,
        "weight": "83.0", "ecog": 1,
        "primary": {"site": PrimarySite.LUNG, "histology": "Adenocarcinoma",
                    "diagnosed_on": Ago(340)},
        # femur distal 2 + moderate 2 + lytic 3 + < 1/3 1 = 8
        "lesions": [limb("a", B.FEMUR, LongBoneSegment.DISTAL, side="left", pain=MODERATE,
                         kind=LYTIC, cortex=LT_THIRD)],
        "labs": [*creatinine("93", UMOL, 40, 9), *panel(9)],
        "systemic": [drug(SystemicTherapyKind.IMMUNOTHERAPY, "Pembrolizumab", 320),
                     drug(SystemicTherapyKind.CHEMOTHERAPY, "Pemetrexed", 320)],
        "imaging": [imaging(XR, "Left femur", 14, "Lytic distal femoral lesion.", ("a",))],
    },
    {   # Visceral disease; a spinal lesion with NO ALIGNMENT recorded: SINS 9–13, a range
        # that straddles "potentially unstable" and "unstable".
        "n": 28, "given": "Florence", "family": "Demo-Tern", "sex": F, "age": 63,
        "weight": "67.0", "ecog": 2,
        "primary": {"site": PrimarySite.LUNG, "histology": "Adenocarcinoma",
                    "diagnosed_on": Ago(150)},
        "patient": {"visceral_metastases": True},
        # T8 1 + mechanical 3 + lytic 2 + alignment ? (0–4) + collapse 20 % 2 + unilat 1
        "lesions": [spine("a", "T8", pain=MECH, kind=LYTIC, align=None, collapse="20",
                          body="70", pl=PL_UNI)],
        "labs": [*creatinine("0.8", MGDL, 7), *panel(7)],
        "systemic": [drug(SystemicTherapyKind.CHEMOTHERAPY, "Carboplatin + pemetrexed", 140)],
        "imaging": [imaging(CT, "Chest", 9, "T8 lytic lesion; alignment not assessable on "
                            "this study.", ("a",))],
    },
    # ---------------------------------------------------------------- kidney
    {   # Clear-cell RCC on sunitinib; SBRT 24 Gy/2 to T11 four months ago. SINS 6.
        "n": 29, "given": "Geoffrey", "family": "Demo-Merlin", "sex": M, "age": 61,
        "weight": "90.0", "ecog": 0,
        "primary": {"site": PrimarySite.KIDNEY, "histology": "Clear-cell renal carcinoma",
                    "diagnosed_on": Ago(800)},
        "patient": {"bone_disease_extent": BoneDiseaseExtent.OLIGOMETASTATIC},
        # T11 3 + occasional 1 + lytic 2 + normal 0 + 40 % 0 + none 0 = 6
        "lesions": [spine("a", "T11", pain=OCC, kind=LYTIC, align=NORMAL, collapse="0",
                          body="40", pl=PL_NONE)],
        "labs": [*creatinine("1.3", MGDL, 130, 11), *panel(11)],
        "systemic": [drug(SystemicTherapyKind.ANTI_ANGIOGENIC, "Sunitinib", 500)],
        "rt": [rt("T11 vertebra", "24", 2, 125, 124, lesion="a", technique=SBRT)],
        "imaging": [imaging(MRI, "Thoracic spine", 30, "Treated T11 lesion, stable.", ("a",))],
    },
    {   # RCC on cabozantinib and denosumab; peritrochanteric femur Mirels 9.
        "n": 30, "given": "Hilda", "family": "Demo-Harrier", "sex": F, "age": 67,
        "weight": "71.0", "ecog": 1,
        "primary": {"site": PrimarySite.KIDNEY, "histology": "Clear-cell renal carcinoma",
                    "diagnosed_on": Ago(1100)},
        "patient": {"periodontal_disease": True},
        # peritrochanteric 3 + moderate 2 + mixed 2 + 1/3–2/3 2 = 9
        "lesions": [limb("a", B.FEMUR, LongBoneSegment.PERITROCHANTERIC, side="right",
                         pain=MODERATE, kind=MIXED, cortex=MID_THIRD)],
        "labs": [*creatinine("97.2", UMOL, 60, 5), *panel(5)],
        "bta": [bta(DENO, "120", 4, 600)],
        "systemic": [drug(SystemicTherapyKind.ANTI_ANGIOGENIC, "Cabozantinib", 350)],
        "imaging": [imaging(CT, "Right hip", 6, "Mixed peritrochanteric lesion, about half "
                            "of the cortex.", ("a",))],
    },
    {   # RCC: prophylactic femoral fixation three weeks ago → post-operative RT (RT-02).
        "n": 31, "given": "Isaac", "family": "Demo-Osprey", "sex": M, "age": 72,
        "weight": "77.0", "ecog": 1,
        "primary": {"site": PrimarySite.KIDNEY, "histology": "Clear-cell renal carcinoma",
                    "diagnosed_on": Ago(1500)},
        # femur diaphysis 2 + functional 3 + lytic 3 + > 2/3 3 = 11
        "lesions": [limb("a", B.FEMUR, LongBoneSegment.DIAPHYSIS, side="left",
                         pain=FUNCTIONAL, kind=LYTIC, cortex=GT_TWO_THIRDS)],
        "labs": [*creatinine("1.1", MGDL, 30, 19), *panel(19, hb="11.2")],
        "systemic": [drug(SystemicTherapyKind.IMMUNOTHERAPY, "Nivolumab", 600)],
        "surgery": [{"kind": SurgeryKind.FIXATION, "performed_on": Ago(21), "lesion": "a",
                     "notes": "Intramedullary nail, left femur."}],
        "imaging": [imaging(XR, "Left femur", 20, "Intramedullary nail in situ.", ("a",))],
    },
    {   # NO ECOG recorded. C3 SINS 8.
        "n": 32, "given": "Joan", "family": "Demo-Kestrel", "sex": F, "age": 70,
        "weight": "62.0", "ecog": None,
        "primary": {"site": PrimarySite.KIDNEY, "histology": "Papillary renal carcinoma",
                    "diagnosed_on": Ago(400)},
        # C3 2 + mechanical 3 + lytic 2 + normal 0 + no collapse, 60 % body 1 + none 0 = 8
        "lesions": [spine("a", "C3", pain=MECH, kind=LYTIC, align=NORMAL, collapse="0",
                          body="60", pl=PL_NONE)],
        "labs": [*creatinine("0.9", MGDL, 26), *panel(26)],
        "systemic": [drug(SystemicTherapyKind.ANTI_ANGIOGENIC, "Axitinib", 380)],
        "imaging": [imaging(MRI, "Cervical spine", 24, "C3 lytic lesion.", ("a",))],
    },
    {   # Oligometastatic RCC, ECOG 0: SBRT (radioresistant histology, RT-04). SINS 5.
        "n": 33, "given": "Kevin", "family": "Demo-Hobby", "sex": M, "age": 56,
        "weight": "95.0", "ecog": 0,
        "primary": {"site": PrimarySite.KIDNEY, "histology": "Clear-cell renal carcinoma",
                    "diagnosed_on": Ago(220)},
        # Staging: the solitary L3 metastasis is the only one, and treatable (OMD-01).
        "patient": {"bone_disease_extent": BoneDiseaseExtent.OLIGOMETASTATIC,
                    "metastasis_count": 1, "all_metastases_treatable": True},
        # L3 2 + occasional 1 + lytic 2 + normal 0 + 30 % 0 + none 0 = 5
        "lesions": [spine("a", "L3", pain=OCC, kind=LYTIC, align=NORMAL, collapse="0",
                          body="30", pl=PL_NONE)],
        "labs": [*creatinine("1.2", MGDL, 17), *panel(17)],
        "imaging": [imaging(MRI, "Lumbar spine", 19, "Solitary L3 lytic metastasis.", ("a",))],
    },
    # ---------------------------------------------------------------- myeloma
    {   # Zoledronic acid at CrCl 30–39 (37.2 mL/min); periodontal disease. SINS 8.
        "n": 34, "given": "Lillian", "family": "Demo-Eider", "sex": F, "age": 76,
        "weight": "64.0", "ecog": 2,
        "primary": {"site": PrimarySite.MYELOMA, "histology": "IgG kappa myeloma",
                    "diagnosed_on": Ago(700)},
        "patient": {"periodontal_disease": True, "last_dental_exam_on": Ago(400)},
        # T3 1 + mechanical 3 + lytic 2 + normal 0 + collapse 10 % 2 + none 0 = 8
        "lesions": [spine("a", "T3", pain=MECH, kind=LYTIC, align=NORMAL, collapse="10",
                          body="40", pl=PL_NONE)],
        "labs": [*creatinine("1.3", MGDL, 380, 14), *panel(14, hb="10.4")],
        "bta": [bta(ZOL, "3.0", 4, 360)],
        "systemic": [drug(SystemicTherapyKind.CHEMOTHERAPY, "Daratumumab, lenalidomide", 360),
                     drug(SystemicTherapyKind.CORTICOSTEROID, "Dexamethasone 40 mg weekly",
                          360)],
        "imaging": [imaging(CT, "Whole-body low dose", 60, "Multiple lytic lesions incl. T3.",
                            ("a",))],
    },
    {   # Hypercalcaemia of malignancy: total calcium 11.8 mg/dL with albumin 3.2 g/dL, no
        # adjusted value from the laboratory → Payne 1973 12.6 mg/dL ≥ 12.0 (HCM-01/02);
        # ionised calcium shown beside it. Humerus Mirels 10.
        "n": 35, "given": "Malcolm", "family": "Demo-Scoter", "sex": M, "age": 70,
        "weight": "81.0", "ecog": 2,
        "primary": {"site": PrimarySite.MYELOMA, "histology": "IgA lambda myeloma",
                    "diagnosed_on": Ago(50)},
        # humerus 1 + functional 3 + lytic 3 + > 2/3 3 = 10
        "lesions": [limb("a", B.HUMERUS, LongBoneSegment.PROXIMAL, side="left",
                         pain=FUNCTIONAL, kind=LYTIC, cortex=GT_TWO_THIRDS),
                    flat("b", B.SKULL, kind=LYTIC)],
        "labs": [*creatinine("1.1", MGDL, 40, 4),
                 lab(LabAnalyte.CALCIUM_TOTAL, "11.8", LabUnit.MG_DL, 4),
                 lab(LabAnalyte.ALBUMIN, "3.2", LabUnit.G_DL, 4),
                 lab(LabAnalyte.CALCIUM_IONISED, "1.52", LabUnit.MMOL_L, 4),
                 lab(LabAnalyte.HAEMOGLOBIN, "98", LabUnit.G_L, 4),
                 lab(LabAnalyte.ALP, "95", LabUnit.U_L, 4)],
        "bta": [bta(ZOL, "4", 4, 35)],
        "systemic": [drug(SystemicTherapyKind.CHEMOTHERAPY, "Bortezomib, lenalidomide", 40),
                     drug(SystemicTherapyKind.CORTICOSTEROID, "Dexamethasone", 40)],
        "imaging": [imaging(XR, "Left humerus", 42, "Lytic proximal humerus, > 2/3 cortex.",
                            ("a", "b"))],
    },
    {   # CrCl 49.8 mL/min: between the label's 40–49 and 50–60 bands (BTA-03 says which
        # band is used). Creatinine in µmol/L.
        "n": 36, "given": "Nigel", "family": "Demo-Smew", "sex": M, "age": 58,
        "weight": "70.0", "ecog": 1,
        "primary": {"site": PrimarySite.MYELOMA, "histology": "Light-chain myeloma",
                    "diagnosed_on": Ago(420)},
        "lesions": [flat("a", B.SKULL, kind=LYTIC), flat("b", B.RIB, kind=LYTIC, side="left")],
        "labs": [*creatinine("141.4", UMOL, 70, 8), *panel(8)],
        "bta": [bta(DENO, "120", 4, 400)],
        "systemic": [drug(SystemicTherapyKind.CHEMOTHERAPY, "Bortezomib, cyclophosphamide",
                          400, 200)],
        "imaging": [imaging(CT, "Whole-body low dose", 75, "Lytic skull and rib lesions.",
                            ("a", "b"))],
    },
    {   # Zoledronic acid planned, NO DENTAL EXAMINATION on file (BTA-08). SINS 9.
        "n": 37, "given": "Olga", "family": "Demo-Pochard", "sex": F, "age": 73,
        "weight": "65.0", "ecog": 1,
        "primary": {"site": PrimarySite.MYELOMA, "histology": "IgG kappa myeloma",
                    "diagnosed_on": Ago(30)},
        "patient": {"last_dental_exam_on": None},
        # L2 2 + mechanical 3 + lytic 2 + normal 0 + collapse 40 % 2 + none 0 = 9
        "lesions": [spine("a", "L2", pain=MECH, kind=LYTIC, align=NORMAL, collapse="40",
                          body="70", pl=PL_NONE, pathological_fracture=True)],
        "labs": [*creatinine("0.8", MGDL, 6), *panel(6)],
        "bta": [bta(ZOL, "4", 4, None)],
        "systemic": [drug(SystemicTherapyKind.CHEMOTHERAPY, "Bortezomib, lenalidomide", 25)],
        "imaging": [imaging(MRI, "Lumbar spine", 8, "L2 compression fracture, 40 %.", ("a",))],
    },
    {   # SINS 18, the maximum: subluxation at L5 with > 50 % collapse.
        "n": 38, "given": "Percy", "family": "Demo-Garganey", "sex": M, "age": 66,
        "weight": "74.0", "ecog": 2,
        "primary": {"site": PrimarySite.MYELOMA, "histology": "IgG lambda myeloma",
                    "diagnosed_on": Ago(900)},
        # L5 3 + mechanical 3 + lytic 2 + subluxation 4 + collapse 55 % 3 + bilateral 3 = 18
        "lesions": [spine("a", "L5", pain=MECH, kind=LYTIC, align=SUBLUX, collapse="55",
                          body="95", pl=PL_BI)],
        "labs": [*creatinine("1.0", MGDL, 21, 3), *panel(3, anc="0.9", plt="70", hb="9.1")],
        "bta": [bta(ZOL, "4", 12, 850)],
        "systemic": [drug(SystemicTherapyKind.CHEMOTHERAPY, "Carfilzomib", 100)],
        "imaging": [imaging(MRI, "Lumbar spine", 5, "L5 collapse with anterolisthesis.",
                            ("a",))],
    },
    # ---------------------------------------------------------------- thyroid, melanoma
    {   # Follicular thyroid; 30 Gy/10 to S1 elsewhere 14 months ago (outside record):
        # SBRT re-irradiation question. SINS 7.
        "n": 39, "given": "Quentin", "family": "Demo-Wigeon", "sex": M, "age": 60,
        "weight": "88.0", "ecog": 1,
        "primary": {"site": PrimarySite.THYROID, "histology": "Follicular carcinoma",
                    "diagnosed_on": Ago(2000)},
        # S1 junctional 3 + occasional 1 + lytic 2 + normal 0 + 70 % body 1 + none 0 = 7
        "lesions": [spine("a", "S1", pain=OCC, kind=LYTIC, align=NORMAL, collapse="0",
                          body="70", pl=PL_NONE, prior_rt_dose_gy="30", prior_rt_fractions=10,
                          prior_rt_on=Ago(425),
                          prior_rt_technique=RadiotherapyTechnique.CONVENTIONAL)],
        "labs": [*creatinine("86", UMOL, 28), *panel(28)],
        "systemic": [drug(SystemicTherapyKind.OTHER, "Radioiodine", 1900, 1900)],
        "imaging": [imaging(MRI, "Sacrum", 29, "S1 lytic lesion, progressing.", ("a",))],
    },
    {   # Papillary thyroid on lenvatinib (anti-angiogenic). Femur Mirels 7.
        "n": 40, "given": "Rachel", "family": "Demo-Gadwall", "sex": F, "age": 54,
        "weight": "60.0", "ecog": 1,
        "primary": {"site": PrimarySite.THYROID, "histology": "Papillary carcinoma",
                    "diagnosed_on": Ago(2500)},
        # femur proximal 2 + mild 1 + lytic 3 + < 1/3 1 = 7
        "lesions": [limb("a", B.FEMUR, LongBoneSegment.PROXIMAL, side="left", pain=MILD,
                         kind=LYTIC, cortex=LT_THIRD)],
        "labs": [*creatinine("0.7", MGDL, 45), *panel(45)],
        "systemic": [drug(SystemicTherapyKind.ANTI_ANGIOGENIC, "Lenvatinib", 600)],
        "imaging": [imaging(CT, "Left hip", 46, "Small lytic lesion, left proximal femur.",
                            ("a",))],
    },
    {   # Melanoma with brain metastases; C2 SINS 9.
        "n": 41, "given": "Stanley", "family": "Demo-Shoveler", "sex": M, "age": 57,
        "weight": "86.0", "ecog": 1,
        "primary": {"site": PrimarySite.MELANOMA, "histology": "Cutaneous melanoma, BRAF "
                    "wild type", "diagnosed_on": Ago(380)},
        "patient": {"brain_metastases": True},
        # C2 3 + mechanical 3 + lytic 2 + normal 0 + 30 % 0 + unilateral 1 = 9
        "lesions": [spine("a", "C2", pain=MECH, kind=LYTIC, align=NORMAL, collapse="0",
                          body="30", pl=PL_UNI)],
        "labs": [*creatinine("0.95", MGDL, 16), *panel(16)],
        "systemic": [drug(SystemicTherapyKind.IMMUNOTHERAPY, "Ipilimumab + nivolumab", 150)],
        "imaging": [imaging(MRI, "Cervical spine", 17, "C2 lytic lesion.", ("a",))],
    },
    {   # BRAF-mutant melanoma on dabrafenib + trametinib; radius Mirels 5.
        "n": 42, "given": "Tabitha", "family": "Demo-Goldeneye", "sex": F, "age": 48,
        "weight": "57.0", "ecog": 0,
        "primary": {"site": PrimarySite.MELANOMA, "histology": "Cutaneous melanoma, BRAF V600E",
                    "diagnosed_on": Ago(200)},
        # radius 1 + mild 1 + mixed 2 + < 1/3 1 = 5
        "lesions": [limb("a", B.RADIUS, LongBoneSegment.DISTAL, side="right", pain=MILD,
                         kind=MIXED, cortex=LT_THIRD)],
        "labs": [*creatinine("62", UMOL, 13), *panel(13)],
        "systemic": [drug(SystemicTherapyKind.TARGETED, "Dabrafenib + trametinib", 190)],
        "imaging": [imaging(XR, "Right wrist", 15, "Lytic distal radius lesion.", ("a",))],
    },
    # ---------------------------------------------------------------- sarcoma board
    {   # On the sarcoma board only: invisible to the bone-metastasis board's members.
        "n": 101, "board": SARCOMA_BOARD, "given": "Ulric", "family": "Demo-Moorhen",
        "sex": M, "age": 45, "weight": "80.0", "ecog": 1,
        "primary": {"site": PrimarySite.SARCOMA, "histology": "Leiomyosarcoma",
                    "diagnosed_on": Ago(600)},
        # femur diaphysis 2 + moderate 2 + lytic 3 + 1/3–2/3 2 = 9
        "lesions": [limb("a", B.FEMUR, LongBoneSegment.DIAPHYSIS, side="right",
                         pain=MODERATE, kind=LYTIC, cortex=MID_THIRD)],
        "labs": [*creatinine("0.9", MGDL, 10), *panel(10)],
        "systemic": [drug(SystemicTherapyKind.CHEMOTHERAPY, "Doxorubicin", 120, 20)],
        "imaging": [imaging(MRI, "Right femur", 11, "Lytic femoral metastasis.", ("a",))],
    },
    {
        "n": 102, "board": SARCOMA_BOARD, "given": "Valerie", "family": "Demo-Coot",
        "sex": F, "age": 52, "weight": "66.0", "ecog": 1,
        "primary": {"site": PrimarySite.SARCOMA, "histology": "Synovial sarcoma",
                    "diagnosed_on": Ago(800)},
        "lesions": [flat("a", B.PELVIS, kind=LYTIC, side="left", painful=True)],
        "labs": [*creatinine("70", UMOL, 12), *panel(12)],
        "imaging": [imaging(CT, "Pelvis", 13, "Lytic left iliac lesion.", ("a",))],
    },
]


# --- Board members --------------------------------------------------------------------
# (username, first name, last name, board, role, specialty). Passwords are generated when
# the user is created and printed once; none is written anywhere in the repository.

USERS: list[tuple[str, str, str, str, str, str]] = [
    ("coordinator", "Casey", "Coordinator", MAIN_BOARD, "coordinator", "coordination"),
    ("chair", "Charlie", "Chair", MAIN_BOARD, "chair", "medical_oncology"),
    ("medonc", "Morgan", "Oncologist", MAIN_BOARD, "specialist", "medical_oncology"),
    ("radonc", "Robin", "Radiotherapist", MAIN_BOARD, "specialist", "radiation_oncology"),
    ("spine", "Sam", "Spinesurgeon", MAIN_BOARD, "specialist", "spine_surgery"),
    ("ortho", "Alex", "Orthopaedist", MAIN_BOARD, "specialist", "orthopaedic_surgery"),
    ("radiology", "Rowan", "Radiologist", MAIN_BOARD, "specialist", "radiology"),
    ("ir", "Jordan", "Interventionist", MAIN_BOARD, "specialist", "interventional_radiology"),
    ("nucmed", "Nico", "Nuclearmedic", MAIN_BOARD, "specialist", "nuclear_medicine"),
    ("palliative", "Pat", "Palliativist", MAIN_BOARD, "specialist", "palliative_care"),
    ("sarcoma", "Sasha", "Sarcomachair", SARCOMA_BOARD, "chair", "orthopaedic_surgery"),
]
#: The administrator: staff and superuser, in the "administrator" group, on no board.
ADMIN_USERNAME = "administrator"


# --- Meetings -------------------------------------------------------------------------
# Each demo meeting is identified by its video link (stable across loads, whatever the
# date). Past meetings: the agenda, then a signed decision per case: (DEMO number,
# presenter, question, outcome summary, decision items).

def accepted(code: str, rule_id: str, title: str, detail: str = "") -> dict[str, str]:
    """A draft item the board accepted. The code and rule ID are the engine catalogue's
    (`recommendations/engine/catalogue.py`; the demo tests check they exist there)."""
    return {"code": code, "rule_id": rule_id, "title": title, "detail": detail,
            "verdict": DecisionItemVerdict.ACCEPTED}


def modified(code: str, rule_id: str, title: str, reason: str) -> dict[str, str]:
    return {"code": code, "rule_id": rule_id, "title": title, "reason": reason,
            "verdict": DecisionItemVerdict.MODIFIED}


def rejected(code: str, rule_id: str, title: str, reason: str) -> dict[str, str]:
    return {"code": code, "rule_id": rule_id, "title": title, "reason": reason,
            "verdict": DecisionItemVerdict.REJECTED}


def added(title: str, detail: str = "") -> dict[str, str]:
    """An item the board added itself: no engine code is claimed."""
    return {"title": title, "detail": detail, "verdict": DecisionItemVerdict.ADDED}


PAST_MEETINGS: list[dict[str, Any]] = [
    {
        "key": "past-1", "weeks_ago": 2,
        "cases": [
            (31, "radonc", "Post-operative radiotherapy after femoral nailing?",
             "Post-operative radiotherapy to the left femur after nailing.",
             [accepted("RT-POSTOP-MULTIFRACTION", "RT-02", "Post-operative radiotherapy 20 Gy "
                       "in 5 fractions to the whole nailed left femur"),
              added("Continue nivolumab")]),
            (17, "medonc", "Bone-targeted agent with creatinine clearance below 30?",
             "Zoledronic acid stays stopped; switch to denosumab with calcium monitoring.",
             [accepted("BTA-DENOSUMAB-120MG", "BTA-06", "Denosumab 120 mg SC every 4 weeks",
                       "Clearance < 30 mL/min: no zoledronic acid (BTA-07)."),
              accepted("BTA-DENTAL-EXAM-FIRST", "BTA-08",
                       "Dental examination before the first dose"),
              accepted("BTA-DENOSUMAB-CALCIUM-CHECKS", "BTA-06",
                       "Serum calcium before the first dose, at 2 weeks, before each dose")]),
            (29, "radonc", "Response after SBRT to T11?",
             "Good response; continue sunitinib; re-image in 3 months.",
             [accepted("FU-IMAGING-REASSESSMENT", "FU-01", "MRI thoracic spine in 3 months"),
              added("Continue sunitinib")]),
            (21, "ir", "Pain after L1 vertebroplasty?",
             "Pain controlled; no further intervention.",
             [modified("BTA-CONTINUE", "BTA-01", "Continue zoledronic acid, now every 12 weeks",
                       "Two years of 4-weekly doses: de-escalate (CALGB 70604).")]),
            (13, "ortho", "Right proximal femur lesion: fixation?",
             "Mirels 9: prophylactic fixation, then post-operative radiotherapy.",
             [accepted("SURG-PROPHYLACTIC-FIXATION", "SURG-01",
                       "Prophylactic fixation of the right femur"),
              accepted("RT-POSTOP-MULTIFRACTION", "RT-02",
                       "Post-operative radiotherapy 20 Gy in 5 fractions")]),
        ],
    },
    {
        "key": "past-2", "weeks_ago": 1,
        "cases": [
            (24, "radonc", "Cord compression at T9: surgery or radiotherapy?",
             "Radiotherapy alone (ECOG 3): 20 Gy in 5 fractions, dexamethasone taper.",
             [accepted("RT-MSCC", "RT-03", "Radiotherapy 20 Gy in 5 fractions to T8–T10"),
              rejected("MSCC-DECOMPRESSION-THEN-RT", "MSCC-03",
                       "Surgical decompression followed by RT",
                       "ECOG 3: not fit for decompression surgery."),
              added("Taper dexamethasone after radiotherapy", "MSCC-02.")]),
            (9, "radonc", "Recurrent pain at T10 nine months after 8 Gy: re-irradiate?",
             "Re-irradiation 8 Gy single fraction.",
             [accepted("RT-REIRRADIATION", "RT-05", "Re-irradiation 8 Gy in 1 fraction to T10"),
              accepted("RT-RESPONSE-REVIEW-4W", "RT-06", "Pain-response review in 4 weeks")]),
            (36, "medonc", "Denosumab with borderline renal function?",
             "Continue denosumab; calcium before each dose.",
             [accepted("BTA-CONTINUE", "BTA-01", "Continue denosumab 120 mg every 4 weeks"),
              accepted("BTA-DENOSUMAB-CALCIUM-CHECKS", "BTA-06", "Serum calcium before each "
                       "dose")]),
            (10, "ortho", "Left peritrochanteric lesion with functional pain",
             "Mirels 12: fixation this week; correct calcium and vitamin D.",
             [accepted("SURG-PROPHYLACTIC-FIXATION", "SURG-01",
                       "Prophylactic fixation of the left proximal femur"),
              accepted("BTA-CALCIUM-VITAMIN-D", "BTA-05", "Calcium and vitamin D supplements",
                       "Calcium 2.02 mmol/L on denosumab; recheck in 1 week."),
              accepted("BTA-AFF-IMAGE-BOTH-FEMORA", "BTA-09", "Image both femora")]),
            (35, "medonc", "Hypercalcaemia in new myeloma",
             "IV fluids and zoledronic acid; continue myeloma therapy.",
             [accepted("BTA-ZOLEDRONIC-DOSE", "BTA-03", "Zoledronic acid 4 mg every 4 weeks",
                       "Clearance > 60 mL/min."),
              added("Orthopaedic review of the left humerus", "Mirels 10.")]),
        ],
    },
]

#: The coming meeting: (DEMO number, presenter, question, urgent, ready).
UPCOMING_KEY = "next"
UPCOMING_CASES: list[tuple[int, str, str, bool, bool]] = [
    (8, "spine", "Suspected cord compression at T7: whole-spine MRI, steroids, surgery or "
     "radiotherapy?", True, True),
    (1, "nucmed", "Radium-223 after docetaxel and enzalutamide?", False, True),
    (2, "nucmed", "Radium-223? Counts are low and he is on abiraterone.", False, True),
    (3, "medonc", "Creatinine rising on zoledronic acid: continue?", False, True),
    (4, "medonc", "New castration-sensitive disease: start a bone-targeted agent?", False, True),
    (5, "ortho", "Painful left humerus: radiotherapy or fixation?", False, True),
    (6, "radonc", "Solitary L5 lesion: SBRT?", False, False),
    (7, "ortho", "Right femoral lesion: risk of fracture?", False, False),
    (14, "spine", "L1 lesion with kyphosis: stable?", False, True),
    (16, "spine", "C7 lesion with mechanical pain: surgery?", False, True),
    (18, "spine", "L4 fracture with 50 % collapse: stabilise or augment?", False, True),
    (20, "medonc", "New bone metastasis, receptors pending: plan?", False, False),
    (23, "spine", "L1 subluxation: stabilisation?", False, True),
    (28, "radonc", "Painful T8 lesion: radiotherapy dose?", False, False),
    (30, "ortho", "Right peritrochanteric lesion: fixation?", False, True),
]
