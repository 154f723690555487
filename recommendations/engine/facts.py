"""Case facts: the engine's only input besides the date.

Frozen, slotted dataclasses with ``None`` for "unknown" everywhere. The engine never
guesses: an unknown that would change the plan becomes a MissingData item.

The enum string values mirror ``cases/choices.py`` exactly (that module is Django, so it
is not imported here); the Django selector maps model fields onto these 1:1. Enums
marked *engine-only* have no model counterpart yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class PrimarySite(StrEnum):
    PROSTATE = "prostate"
    BREAST = "breast"
    LUNG = "lung"
    KIDNEY = "kidney"
    THYROID = "thyroid"
    MYELOMA = "myeloma"
    MELANOMA = "melanoma"
    COLORECTAL = "colorectal"
    SARCOMA = "sarcoma"
    LYMPHOMA = "lymphoma"
    GERM_CELL = "germ_cell"
    OTHER = "other"


class CastrationStatus(StrEnum):
    SENSITIVE = "sensitive"
    RESISTANT = "resistant"
    UNKNOWN = "unknown"


class HormoneReceptorStatus(StrEnum):
    """ER/PR: positive when either stains in at least 1 % of tumour nuclei."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    UNKNOWN = "unknown"


class Her2Status(StrEnum):
    """ASCO/CAP 2018: a completed test is positive or negative; IHC 2+ awaiting ISH is
    not known yet."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    UNKNOWN = "unknown"


class EsccGrade(StrEnum):
    """Bilsky epidural spinal cord compression grade on the T2 axial MRI at the level of
    worst compression (Bilsky 2010; grade wording from secondary summaries, MSCC-12)."""

    BONE_ONLY = "0"
    IMPINGEMENT = "1a"
    THECAL_SAC_DEFORMED = "1b"
    CORD_ABUTTED = "1c"
    CORD_COMPRESSED_CSF_VISIBLE = "2"
    CORD_COMPRESSED_NO_CSF = "3"


#: Bilsky 2–3: "high-grade" compression (MSCC-12).
HIGH_GRADE_ESCC = frozenset(
    {EsccGrade.CORD_COMPRESSED_CSF_VISIBLE, EsccGrade.CORD_COMPRESSED_NO_CSF}
)


class SurvivalBand(StrEnum):
    LESS_THAN_3_MONTHS = "lt3m"
    THREE_TO_12_MONTHS = "3to12m"
    MORE_THAN_12_MONTHS = "gt12m"


class Bone(StrEnum):
    VERTEBRA = "vertebra"
    FEMUR = "femur"
    TIBIA = "tibia"
    FIBULA = "fibula"
    HUMERUS = "humerus"
    RADIUS = "radius"
    ULNA = "ulna"
    PELVIS = "pelvis"
    ACETABULUM = "acetabulum"
    SACRUM = "sacrum"
    RIB = "rib"
    STERNUM = "sternum"
    SCAPULA = "scapula"
    CLAVICLE = "clavicle"
    SKULL = "skull"


UPPER_LIMB_BONES = frozenset({Bone.HUMERUS, Bone.RADIUS, Bone.ULNA})
LOWER_LIMB_BONES = frozenset({Bone.FEMUR, Bone.TIBIA, Bone.FIBULA})
LONG_BONES = UPPER_LIMB_BONES | LOWER_LIMB_BONES
#: Bones that carry a vertebral level and are scored with SINS (the sacrum is S1–S5).
SPINAL_BONES = frozenset({Bone.VERTEBRA, Bone.SACRUM})


class LongBoneSegment(StrEnum):
    PROXIMAL = "proximal"
    PERITROCHANTERIC = "peritrochanteric"
    DIAPHYSIS = "diaphysis"
    DISTAL = "distal"


class VertebralLevel(StrEnum):
    """C1–S5 in anatomical order; the SINS location is derived from it (SINS-01)."""

    C1 = "C1"
    C2 = "C2"
    C3 = "C3"
    C4 = "C4"
    C5 = "C5"
    C6 = "C6"
    C7 = "C7"
    T1 = "T1"
    T2 = "T2"
    T3 = "T3"
    T4 = "T4"
    T5 = "T5"
    T6 = "T6"
    T7 = "T7"
    T8 = "T8"
    T9 = "T9"
    T10 = "T10"
    T11 = "T11"
    T12 = "T12"
    L1 = "L1"
    L2 = "L2"
    L3 = "L3"
    L4 = "L4"
    L5 = "L5"
    S1 = "S1"
    S2 = "S2"
    S3 = "S3"
    S4 = "S4"
    S5 = "S5"


SACRAL_LEVELS = frozenset(
    {VertebralLevel.S1, VertebralLevel.S2, VertebralLevel.S3, VertebralLevel.S4, VertebralLevel.S5}
)


class Laterality(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    MIDLINE = "midline"
    BILATERAL = "bilateral"


class LesionType(StrEnum):
    OSTEOBLASTIC = "osteoblastic"
    LYTIC = "lytic"
    MIXED = "mixed"


class SpinalPain(StrEnum):
    MECHANICAL = "mechanical"
    OCCASIONAL = "occasional"
    NONE = "none"


class Alignment(StrEnum):
    SUBLUXATION = "subluxation"
    DE_NOVO_DEFORMITY = "de_novo_deformity"
    NORMAL = "normal"


class PosterolateralInvolvement(StrEnum):
    BILATERAL = "bilateral"
    UNILATERAL = "unilateral"
    NONE = "none"


class LimbPain(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    FUNCTIONAL = "functional"


class CorticalInvolvement(StrEnum):
    LESS_THAN_THIRD = "lt_1_3"
    THIRD_TO_TWO_THIRDS = "1_3_to_2_3"
    MORE_THAN_TWO_THIRDS = "gt_2_3"


class ImagingModality(StrEnum):
    CT = "ct"
    MRI = "mri"
    MRI_WHOLE_SPINE = "mri_whole_spine"
    BONE_SCAN = "bone_scan"
    PET_CT_FDG = "pet_ct_fdg"
    PET_CT_PSMA = "pet_ct_psma"
    RADIOGRAPH = "radiograph"


class LabAnalyte(StrEnum):
    CREATININE = "creatinine"
    #: The laboratory's own albumin-adjusted calcium (preferred, HCM-04).
    CALCIUM = "calcium"
    #: Total (unadjusted) serum calcium; adjusted with albumin only when the laboratory
    #: gives no adjusted value (HCM-04, Payne 1973).
    CALCIUM_TOTAL = "calcium_total"
    CALCIUM_IONISED = "calcium_ionised"
    ALBUMIN = "albumin"
    ALP = "alp"
    NTX = "ntx"
    HAEMOGLOBIN = "haemoglobin"
    ANC = "anc"
    PLATELETS = "platelets"
    WBC = "wbc"
    VITAMIN_D = "vitamin_d"
    PSA = "psa"


class LabUnit(StrEnum):
    MG_DL = "mg/dL"
    UMOL_L = "umol/L"
    MMOL_L = "mmol/L"
    G_L = "g/L"
    G_DL = "g/dL"
    U_L = "U/L"
    NMOL_BCE_L = "nmol BCE/L"
    E9_L = "10^9/L"
    NMOL_L = "nmol/L"
    NG_ML = "ng/mL"


#: Units each analyte may be recorded in (same table as ``cases.choices.ANALYTE_UNITS``).
ANALYTE_UNITS: dict[LabAnalyte, tuple[LabUnit, ...]] = {
    LabAnalyte.CREATININE: (LabUnit.MG_DL, LabUnit.UMOL_L),
    LabAnalyte.CALCIUM: (LabUnit.MMOL_L, LabUnit.MG_DL),
    LabAnalyte.CALCIUM_TOTAL: (LabUnit.MMOL_L, LabUnit.MG_DL),
    LabAnalyte.CALCIUM_IONISED: (LabUnit.MMOL_L, LabUnit.MG_DL),
    LabAnalyte.ALBUMIN: (LabUnit.G_L, LabUnit.G_DL),
    LabAnalyte.ALP: (LabUnit.U_L,),
    LabAnalyte.NTX: (LabUnit.NMOL_BCE_L,),
    LabAnalyte.HAEMOGLOBIN: (LabUnit.G_DL, LabUnit.G_L),
    LabAnalyte.ANC: (LabUnit.E9_L,),
    LabAnalyte.PLATELETS: (LabUnit.E9_L,),
    LabAnalyte.WBC: (LabUnit.E9_L,),
    LabAnalyte.VITAMIN_D: (LabUnit.NMOL_L, LabUnit.NG_ML),
    LabAnalyte.PSA: (LabUnit.NG_ML,),
}


class BoneTargetedAgent(StrEnum):
    ZOLEDRONIC_ACID = "zoledronic_acid"
    DENOSUMAB = "denosumab"
    PAMIDRONATE = "pamidronate"
    IBANDRONATE = "ibandronate"


class SystemicTherapyKind(StrEnum):
    ADT = "adt"
    ABIRATERONE_PREDNISONE = "abiraterone_prednisone"
    ENZALUTAMIDE = "enzalutamide"
    APALUTAMIDE = "apalutamide"
    DAROLUTAMIDE = "darolutamide"
    CHEMOTHERAPY = "chemotherapy"
    ANTI_ANGIOGENIC = "anti_angiogenic"
    CORTICOSTEROID = "corticosteroid"
    ENDOCRINE = "endocrine"
    TARGETED = "targeted"
    IMMUNOTHERAPY = "immunotherapy"
    RADIOISOTOPE = "radioisotope"
    OTHER = "other"


class RadiotherapyTechnique(StrEnum):
    CONVENTIONAL = "conventional"
    SBRT = "sbrt"


class SurgeryKind(StrEnum):
    FIXATION = "fixation"
    STABILISATION = "stabilisation"
    DECOMPRESSION = "decompression"
    VERTEBROPLASTY = "vertebroplasty"
    KYPHOPLASTY = "kyphoplasty"
    ARTHROPLASTY = "arthroplasty"


class Specialty(StrEnum):
    MEDICAL_ONCOLOGY = "medical_oncology"
    RADIATION_ONCOLOGY = "radiation_oncology"
    SPINE_SURGERY = "spine_surgery"
    ORTHOPAEDIC_SURGERY = "orthopaedic_surgery"
    RADIOLOGY = "radiology"
    INTERVENTIONAL_RADIOLOGY = "interventional_radiology"
    NUCLEAR_MEDICINE = "nuclear_medicine"
    PALLIATIVE_CARE = "palliative_care"
    COORDINATION = "coordination"


class Radioisotope(StrEnum):
    """*Engine-only.* Which radiopharmaceutical a radioisotope course uses."""

    RADIUM_223 = "radium_223"
    STRONTIUM_89 = "strontium_89"
    SAMARIUM_153 = "samarium_153"


class BoneDiseaseExtent(StrEnum):
    """*Engine-only.* The board's reading of the skeletal burden.

    Needed by RT-04 (oligometastatic → SBRT), RAD-01 (EU: not with only a few
    osteoblastic metastases) and RAD-05 (widespread disease → Sr-89/Sm-153). The
    engine does not derive it from the lesion count: which lesions are recorded is a
    choice of the presenting clinician, not a census.
    """

    OLIGOMETASTATIC = "oligometastatic"
    MULTIPLE = "multiple"
    WIDESPREAD = "widespread"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Patient:
    sex: Sex | None = None
    #: Age in whole years; ignored when ``date_of_birth`` is known (age is then taken
    #: at ``as_of``, or at the date of the creatinine for a baseline clearance).
    age_years: int | None = None
    date_of_birth: date | None = None
    #: Actual body weight (Cockcroft–Gault uses actual weight; RAD-02 dose per kg).
    weight_kg: float | None = None
    weight_date: date | None = None
    on_dialysis: bool | None = None


@dataclass(frozen=True, slots=True)
class PrimaryCancer:
    site: PrimarySite | None = None
    histology: str | None = None
    #: Prostate only. ``UNKNOWN`` is treated exactly like ``None``.
    castration_status: CastrationStatus | None = None
    #: Breast only. ``None`` is "not recorded" (medical oncology holds the report),
    #: ``UNKNOWN`` "recorded as not known" (pathology still to report); SYS-01 asks for
    #: either, of whoever supplies it.
    hormone_receptor_status: HormoneReceptorStatus | None = None
    #: Breast only; ``None`` and ``UNKNOWN`` as for the hormone receptors.
    her2_status: Her2Status | None = None
    #: Prior systemic lines for mCRPC (RAD-01 EU label: ≥ 2).
    prior_mcrpc_lines: int | None = None


@dataclass(frozen=True, slots=True)
class ExtraSkeletalDisease:
    visceral: bool | None = None
    brain: bool | None = None
    nodal: bool | None = None
    #: Short axis of the largest nodal metastasis in cm (RAD-08: ALSYMPCA enrolled men
    #: without lymphadenopathy > 3 cm); read only with ``nodal`` true.
    nodal_short_axis_cm: float | None = None
    #: All metastatic lesions, bone and non-bone, on the latest staging (OMD-04: the
    #: ESTRO–ASTRO oligometastatic definition counts 1–5). Not the recorded bone lesions:
    #: which lesions are recorded is the presenting clinician's choice, not a census.
    metastasis_count: int | None = None
    #: Every metastatic site can be treated safely (ESTRO–ASTRO OMD definition).
    all_sites_treatable: bool | None = None


@dataclass(frozen=True, slots=True)
class Pain:
    #: Worst pain on a 0–10 numeric rating scale.
    worst_nrs: int | None = None
    uncontrolled: bool | None = None
    #: New thigh, hip or groin pain (BTA-09: atypical femoral fracture).
    new_thigh_hip_groin_pain: bool | None = None
    #: The board's worst-pain NRS at which an analgesia review is drafted (PAIN-04);
    #: ``None`` is the published default, 5 ("moderate or worse", PAIN-03). Another
    #: value is shown as the board's local choice.
    analgesia_review_nrs: int | None = None


@dataclass(frozen=True, slots=True)
class Neurology:
    deficit: bool | None = None
    #: New back pain with neurological symptoms or signs (MSCC-01).
    suspected_cord_compression: bool | None = None
    #: Compression seen on MRI (or CT when MRI is contraindicated).
    cord_compression_on_imaging: bool | None = None
    onset_date: date | None = None
    mri_contraindicated: bool | None = None
    paraplegic: bool | None = None
    #: Either of these settles Patchell's "not paraplegic > 48 h" (MSCC-03); the
    #: duration wins when both are given.
    paraplegia_duration_hours: float | None = None
    paraplegia_onset: date | None = None
    #: Number of separate areas of compression (Patchell: a single area).
    compression_levels: int | None = None
    #: Able to walk (with or without aids) before treatment (MSCC-17; Rades, Patchell).
    ambulatory: bool | None = None
    #: Days over which the motor deficit developed before RT (a Rades factor, MSCC-17).
    motor_deficit_days: int | None = None
    #: The Rades score for ambulatory status after RT (21–44), as computed by the
    #: clinician from the paper's points (the points are not in this project's sources;
    #: the engine interprets the total with the paper's groups, MSCC-10).
    rades_ambulatory_score: int | None = None
    #: Neurological symptoms or signs suggesting spinal instability (MSCC-04: immobilise
    #: at once, expert spinal opinion within 24 h).
    instability_signs: bool | None = None


@dataclass(frozen=True, slots=True)
class CoMedication:
    """Co-medication that matters with zoledronic acid (BTA-11, Zometa label §5.3, §7).

    ``None`` is "not yet reviewed" for each class; thalidomide (§7.4, myeloma) is read
    from the systemic therapies by name.
    """

    #: §7.1: adds to the fall in serum calcium.
    aminoglycoside: bool | None = None
    #: §7.2: hypocalcaemia; in HCM none until the patient is rehydrated (§5.2).
    loop_diuretic: bool | None = None
    #: §7.3: "other potentially nephrotoxic drugs".
    other_nephrotoxic: bool | None = None
    other_nephrotoxic_names: str | None = None
    #: Not named in the label (BTA-11a [U]): listed as an example of a potentially
    #: nephrotoxic drug, the project's interpretation.
    nsaid: bool | None = None


@dataclass(frozen=True, slots=True)
class DentalStatus:
    last_exam_date: date | None = None
    invasive_work_pending: bool | None = None
    unhealed_oral_lesions: bool | None = None
    poor_oral_hygiene: bool | None = None
    periodontal_disease: bool | None = None
    ill_fitting_dentures: bool | None = None


@dataclass(frozen=True, slots=True)
class Lesion:
    id: str
    bone: Bone
    label: str | None = None
    #: Spine (vertebra, sacrum) only.
    vertebral_level: VertebralLevel | None = None
    #: Long bones only; ``PERITROCHANTERIC`` only on the femur.
    long_bone_segment: LongBoneSegment | None = None
    laterality: Laterality | None = None
    lesion_type: LesionType | None = None
    #: Explicit pain at the site; when ``None`` it is read from ``spinal_pain`` /
    #: ``limb_pain``.
    painful: bool | None = None
    #: Neuropathic (radicular) bone pain at this site (RT-08: 20 Gy/5, TROG 96.05).
    neuropathic_pain: bool | None = None
    #: Bilsky ESCC grade of the epidural disease at this level (spine; MSCC-12).
    escc_grade: EsccGrade | None = None
    # SINS components (spine)
    spinal_pain: SpinalPain | None = None
    alignment: Alignment | None = None
    collapse_percent: float | None = None
    body_involvement_percent: float | None = None
    posterolateral: PosterolateralInvolvement | None = None
    # Mirels components (long bones)
    limb_pain: LimbPain | None = None
    cortical_involvement: CorticalInvolvement | None = None
    # complicating features (RT-01 "uncomplicated", MSCC, SURG)
    soft_tissue_mass: bool | None = None
    epidural_extension: bool | None = None
    pathological_fracture: bool | None = None
    # radiotherapy given to this site before (outside records); treatment courses in
    # ``CaseFacts.radiotherapy_courses`` with this lesion's id count as well.
    prior_rt_dose_gy: float | None = None
    prior_rt_fractions: int | None = None
    prior_rt_date: date | None = None
    prior_rt_technique: RadiotherapyTechnique | None = None
    bone_scan_uptake: bool | None = None

    @property
    def is_spinal(self) -> bool:
        return self.bone in SPINAL_BONES

    @property
    def is_long_bone(self) -> bool:
        return self.bone in LONG_BONES


#: How the engine writes a unit in its sentences (the JSON keeps the code: "umol/L").
UNIT_WORDS: dict[LabUnit, str] = {LabUnit.UMOL_L: "µmol/L", LabUnit.E9_L: "×10⁹/L"}


def unit_words(unit: LabUnit | None) -> str:
    return "(no unit)" if unit is None else UNIT_WORDS.get(unit, unit.value)


@dataclass(frozen=True, slots=True)
class LabResult:
    analyte: LabAnalyte
    value: float
    #: Never guessed: a creatinine without a unit is not used (CRCL-01).
    unit: LabUnit | None
    taken_at: date

    def as_recorded(self) -> str:
        """The value in the unit it was recorded in ("97 µmol/L"), as sentences quote it."""
        return f"{self.value:g} {unit_words(self.unit)}"


@dataclass(frozen=True, slots=True)
class BoneTargetedAgentCourse:
    agent: BoneTargetedAgent
    dose_mg: float | None = None
    interval_weeks: int | None = None
    #: ``None``: planned, not started.
    start: date | None = None
    stop: date | None = None
    #: Zoledronic acid interrupted for renal deterioration (BTA-04) since this date.
    withheld_since: date | None = None


@dataclass(frozen=True, slots=True)
class SystemicTherapy:
    kind: SystemicTherapyKind
    name: str | None = None
    start: date | None = None
    stop: date | None = None
    #: Planned or being considered; counts as concurrent for RAD-04 and ONJ risk.
    planned: bool = False


@dataclass(frozen=True, slots=True)
class RadiotherapyCourse:
    lesion_id: str | None = None
    site: str | None = None
    dose_gy: float | None = None
    fractions: int | None = None
    technique: RadiotherapyTechnique | None = None
    start: date | None = None
    #: Date of the last fraction; ``None`` with a ``start`` means still running.
    end: date | None = None


@dataclass(frozen=True, slots=True)
class Surgery:
    kind: SurgeryKind
    lesion_id: str | None = None
    #: ``None``: planned.
    performed_on: date | None = None


@dataclass(frozen=True, slots=True)
class RadioisotopeCourse:
    agent: Radioisotope
    doses_given: int = 0
    first_dose: date | None = None
    last_dose: date | None = None
    #: ``doses_given == 0`` and planned: the board is considering it.
    planned: bool = False


@dataclass(frozen=True, slots=True)
class ImagingStudy:
    modality: ImagingModality
    performed_on: date
    region: str | None = None


@dataclass(frozen=True, slots=True)
class CaseFacts:
    patient: Patient = field(default_factory=Patient)
    primary: PrimaryCancer = field(default_factory=PrimaryCancer)
    extraskeletal: ExtraSkeletalDisease = field(default_factory=ExtraSkeletalDisease)
    bone_disease_extent: BoneDiseaseExtent | None = None
    ecog: int | None = None
    ecog_date: date | None = None
    expected_survival: SurvivalBand | None = None
    pain: Pain = field(default_factory=Pain)
    neurology: Neurology = field(default_factory=Neurology)
    dental: DentalStatus = field(default_factory=DentalStatus)
    co_medication: CoMedication = field(default_factory=CoMedication)
    lesions: tuple[Lesion, ...] = ()
    labs: tuple[LabResult, ...] = ()
    #: Creatinine before the first zoledronic acid dose (BTA-03 dose, BTA-04 rule).
    #: When zoledronic acid has not started, the latest fresh creatinine is the baseline.
    baseline_creatinine: LabResult | None = None
    bone_targeted_agents: tuple[BoneTargetedAgentCourse, ...] = ()
    systemic_therapies: tuple[SystemicTherapy, ...] = ()
    radiotherapy_courses: tuple[RadiotherapyCourse, ...] = ()
    surgeries: tuple[Surgery, ...] = ()
    radioisotope_courses: tuple[RadioisotopeCourse, ...] = ()
    imaging: tuple[ImagingStudy, ...] = ()
