"""Controlled vocabularies of the clinical record.

The string values are part of the contract with the recommendation engine
(`recommendations/engine/facts.py` mirrors them without importing Django) and with
the API: change a value only with a data migration and an engine release.
"""

from django.db import models


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"


class PrimarySite(models.TextChoices):
    PROSTATE = "prostate", "Prostate"
    BREAST = "breast", "Breast"
    LUNG = "lung", "Lung"
    KIDNEY = "kidney", "Kidney (renal cell)"
    THYROID = "thyroid", "Thyroid"
    MYELOMA = "myeloma", "Myeloma"
    MELANOMA = "melanoma", "Melanoma"
    COLORECTAL = "colorectal", "Colorectal"
    SARCOMA = "sarcoma", "Sarcoma"
    LYMPHOMA = "lymphoma", "Lymphoma"
    GERM_CELL = "germ_cell", "Germ cell"
    OTHER = "other", "Other"


class CastrationStatus(models.TextChoices):
    """Prostate cancer only: castration-sensitive vs castration-resistant (CRPC)."""

    SENSITIVE = "sensitive", "Castration-sensitive"
    RESISTANT = "resistant", "Castration-resistant"
    UNKNOWN = "unknown", "Unknown"


class HormoneReceptorStatus(models.TextChoices):
    """Breast cancer only: oestrogen / progesterone receptor status by immunohistochemistry.
    Positive when ER or PR stains in at least 1 % of tumour nuclei (ASCO/CAP ER/PR
    guideline, Allison JCO 2020; ER 1–10 % is "ER-low positive", still positive)."""

    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    UNKNOWN = "unknown", "Not known"


class Her2Status(models.TextChoices):
    """Breast cancer only: HER2 status (ASCO/CAP HER2 guideline, Wolff JCO 2018).

    Three values, no "equivocal": under ASCO/CAP 2018 an equivocal IHC 2+ must be
    reflexed to ISH, and the 2018 update resolved every ISH group with concurrent IHC, so
    a completed test is positive or negative. A case whose IHC 2+ awaits ISH is recorded
    "not known": to the board it is exactly that, a result still to come from pathology.
    """

    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    UNKNOWN = "unknown", "Not known"


class SurvivalBand(models.TextChoices):
    LESS_THAN_3_MONTHS = "lt3m", "Less than 3 months"
    THREE_TO_12_MONTHS = "3to12m", "3–12 months"
    MORE_THAN_12_MONTHS = "gt12m", "More than 12 months"


class Bone(models.TextChoices):
    VERTEBRA = "vertebra", "Vertebra"
    FEMUR = "femur", "Femur"
    TIBIA = "tibia", "Tibia"
    FIBULA = "fibula", "Fibula"
    HUMERUS = "humerus", "Humerus"
    RADIUS = "radius", "Radius"
    ULNA = "ulna", "Ulna"
    PELVIS = "pelvis", "Pelvis"
    ACETABULUM = "acetabulum", "Acetabulum"
    SACRUM = "sacrum", "Sacrum"
    RIB = "rib", "Rib"
    STERNUM = "sternum", "Sternum"
    SCAPULA = "scapula", "Scapula"
    CLAVICLE = "clavicle", "Clavicle"
    SKULL = "skull", "Skull"


#: Long bones scored with Mirels, and which limb they belong to.
UPPER_LIMB_BONES = frozenset({Bone.HUMERUS, Bone.RADIUS, Bone.ULNA})
LOWER_LIMB_BONES = frozenset({Bone.FEMUR, Bone.TIBIA, Bone.FIBULA})
LONG_BONES = UPPER_LIMB_BONES | LOWER_LIMB_BONES


class LongBoneSegment(models.TextChoices):
    PROXIMAL = "proximal", "Proximal"
    PERITROCHANTERIC = "peritrochanteric", "Peritrochanteric (femur)"
    DIAPHYSIS = "diaphysis", "Diaphysis (shaft)"
    DISTAL = "distal", "Distal"


def _vertebral_levels() -> list[tuple[str, str]]:
    levels = [f"C{i}" for i in range(1, 8)]
    levels += [f"T{i}" for i in range(1, 13)]
    levels += [f"L{i}" for i in range(1, 6)]
    levels += [f"S{i}" for i in range(1, 6)]
    return [(level, level) for level in levels]


#: C1–S5 in anatomical order; the SINS location component is derived from it.
VERTEBRAL_LEVELS = _vertebral_levels()


class Laterality(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    MIDLINE = "midline", "Midline"
    BILATERAL = "bilateral", "Bilateral"


class LesionType(models.TextChoices):
    OSTEOBLASTIC = "osteoblastic", "Osteoblastic (blastic)"
    LYTIC = "lytic", "Lytic"
    MIXED = "mixed", "Mixed"


class SpinalPain(models.TextChoices):
    """SINS pain component (Fisher 2010)."""

    MECHANICAL = "mechanical", "Mechanical"
    OCCASIONAL = "occasional", "Occasional, not mechanical"
    NONE = "none", "Pain-free"


class Alignment(models.TextChoices):
    """SINS alignment component."""

    SUBLUXATION = "subluxation", "Subluxation / translation"
    DE_NOVO_DEFORMITY = "de_novo_deformity", "De novo deformity (kyphosis / scoliosis)"
    NORMAL = "normal", "Normal"


class PosterolateralInvolvement(models.TextChoices):
    BILATERAL = "bilateral", "Bilateral"
    UNILATERAL = "unilateral", "Unilateral"
    NONE = "none", "None"


class LimbPain(models.TextChoices):
    """Mirels pain component."""

    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    FUNCTIONAL = "functional", "Functional (on use / weight bearing)"


class CorticalInvolvement(models.TextChoices):
    """Mirels size component: fraction of the cortex involved."""

    LESS_THAN_THIRD = "lt_1_3", "< 1/3"
    THIRD_TO_TWO_THIRDS = "1_3_to_2_3", "1/3 – 2/3"
    MORE_THAN_TWO_THIRDS = "gt_2_3", "> 2/3"


class ImagingModality(models.TextChoices):
    CT = "ct", "CT"
    MRI = "mri", "MRI"
    MRI_WHOLE_SPINE = "mri_whole_spine", "MRI whole spine"
    BONE_SCAN = "bone_scan", "Bone scan"
    PET_CT_FDG = "pet_ct_fdg", "PET-CT (FDG)"
    PET_CT_PSMA = "pet_ct_psma", "PET-CT (PSMA)"
    RADIOGRAPH = "radiograph", "Radiograph"


class LabAnalyte(models.TextChoices):
    CREATININE = "creatinine", "Creatinine"
    CALCIUM = "calcium", "Calcium (adjusted)"
    CALCIUM_TOTAL = "calcium_total", "Calcium (total, unadjusted)"
    CALCIUM_IONISED = "calcium_ionised", "Ionised calcium"
    ALBUMIN = "albumin", "Albumin"
    ALP = "alp", "Alkaline phosphatase"
    NTX = "ntx", "N-terminal telopeptide"
    HAEMOGLOBIN = "haemoglobin", "Haemoglobin"
    ANC = "anc", "Neutrophils (ANC)"
    PLATELETS = "platelets", "Platelets"
    WBC = "wbc", "White cells (WBC)"
    VITAMIN_D = "vitamin_d", "25-OH vitamin D"
    PSA = "psa", "PSA"


class LabUnit(models.TextChoices):
    MG_DL = "mg/dL", "mg/dL"
    UMOL_L = "umol/L", "µmol/L"
    MMOL_L = "mmol/L", "mmol/L"
    G_L = "g/L", "g/L"
    G_DL = "g/dL", "g/dL"
    U_L = "U/L", "U/L"
    NMOL_BCE_L = "nmol BCE/L", "nmol BCE/L"
    E9_L = "10^9/L", "×10⁹/L"
    NMOL_L = "nmol/L", "nmol/L"
    NG_ML = "ng/mL", "ng/mL"


#: Which units each analyte may be recorded in; the first is the canonical one.
ANALYTE_UNITS: dict[str, tuple[str, ...]] = {
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


class ECOG(models.IntegerChoices):
    FULLY_ACTIVE = 0, "0 — fully active"
    RESTRICTED = 1, "1 — restricted strenuous activity"
    AMBULATORY = 2, "2 — ambulatory, up > 50 % of waking hours"
    LIMITED_SELF_CARE = 3, "3 — limited self-care, in bed > 50 %"
    DISABLED = 4, "4 — completely disabled"


class BoneTargetedAgent(models.TextChoices):
    ZOLEDRONIC_ACID = "zoledronic_acid", "Zoledronic acid"
    DENOSUMAB = "denosumab", "Denosumab"
    PAMIDRONATE = "pamidronate", "Pamidronate"
    IBANDRONATE = "ibandronate", "Ibandronate"


class SystemicTherapyKind(models.TextChoices):
    ADT = "adt", "Androgen deprivation therapy"
    ABIRATERONE_PREDNISONE = "abiraterone_prednisone", "Abiraterone + prednisone"
    ENZALUTAMIDE = "enzalutamide", "Enzalutamide"
    APALUTAMIDE = "apalutamide", "Apalutamide"
    DAROLUTAMIDE = "darolutamide", "Darolutamide"
    CHEMOTHERAPY = "chemotherapy", "Chemotherapy"
    ANTI_ANGIOGENIC = "anti_angiogenic", "Anti-angiogenic (e.g. bevacizumab, sunitinib)"
    CORTICOSTEROID = "corticosteroid", "Corticosteroid"
    ENDOCRINE = "endocrine", "Endocrine therapy (breast)"
    TARGETED = "targeted", "Targeted therapy (e.g. EGFR inhibitor)"
    IMMUNOTHERAPY = "immunotherapy", "Immunotherapy"
    RADIOISOTOPE = "radioisotope", "Radioisotope (Ra-223, Sr-89, Sm-153)"
    OTHER = "other", "Other"


class RadiotherapyTechnique(models.TextChoices):
    CONVENTIONAL = "conventional", "Conventional EBRT"
    SBRT = "sbrt", "SBRT / SABR"


class SurgeryKind(models.TextChoices):
    FIXATION = "fixation", "Fixation (prophylactic or after fracture)"
    STABILISATION = "stabilisation", "Spinal stabilisation"
    DECOMPRESSION = "decompression", "Spinal decompression"
    VERTEBROPLASTY = "vertebroplasty", "Vertebroplasty"
    KYPHOPLASTY = "kyphoplasty", "Kyphoplasty"
    ARTHROPLASTY = "arthroplasty", "Arthroplasty / endoprosthesis"


class Specialty(models.TextChoices):
    MEDICAL_ONCOLOGY = "medical_oncology", "Medical oncology"
    RADIATION_ONCOLOGY = "radiation_oncology", "Radiation oncology"
    SPINE_SURGERY = "spine_surgery", "Spine surgery"
    ORTHOPAEDIC_SURGERY = "orthopaedic_surgery", "Orthopaedic surgery"
    RADIOLOGY = "radiology", "Radiology"
    INTERVENTIONAL_RADIOLOGY = "interventional_radiology", "Interventional radiology"
    NUCLEAR_MEDICINE = "nuclear_medicine", "Nuclear medicine"
    PALLIATIVE_CARE = "palliative_care", "Palliative care"
    COORDINATION = "coordination", "MDT coordination"


class BoardRole(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    SPECIALIST = "specialist", "Specialist"
    CHAIR = "chair", "Chair"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    LOCKED = "locked", "Agenda locked"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class AgendaItemStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    READY = "ready", "Ready"
    DISCUSSED = "discussed", "Discussed"
    DECIDED = "decided", "Decided"
    DEFERRED = "deferred", "Deferred"


class DecisionItemVerdict(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    MODIFIED = "modified", "Modified"
    REJECTED = "rejected", "Rejected"
    ADDED = "added", "Added by the board"


class OpinionStance(models.TextChoices):
    """Where a specialist's pre-meeting opinion leaves the case. An opinion that asks
    for discussion keeps the case out of the standard-of-care block (NHS England,
    Streamlining MDT meetings, 2020: only cases without open questions are batched)."""

    AGREES = "agrees", "Agrees with the draft plan"
    DISCUSS = "discuss", "Asks the board to discuss it"


class EsccGrade(models.TextChoices):
    """Bilsky epidural spinal cord compression grade, read on the T2 axial MRI at the level
    of worst compression (Bilsky 2010; MSCC-12)."""

    BONE_ONLY = "0", "Bilsky 0: bone only"
    IMPINGEMENT = "1a", "Bilsky 1a: epidural impingement, thecal sac not deformed"
    THECAL_SAC_DEFORMED = "1b", "Bilsky 1b: thecal sac deformed, cord not abutted"
    CORD_ABUTTED = "1c", "Bilsky 1c: cord abutted, not compressed"
    CORD_COMPRESSED_CSF_VISIBLE = "2", "Bilsky 2: cord compressed, CSF visible"
    CORD_COMPRESSED_NO_CSF = "3", "Bilsky 3: cord compressed, no CSF visible"


class BoneDiseaseExtent(models.TextChoices):
    """The board's reading of the skeletal burden (RT-04 oligometastatic → SBRT,
    RAD-01 EU label, RAD-05 widespread disease). Not derived from the lesions recorded:
    which lesions are entered is a presenting clinician's choice, not a census."""

    OLIGOMETASTATIC = "oligometastatic", "Oligometastatic (≤ 5 sites)"
    MULTIPLE = "multiple", "Multiple"
    WIDESPREAD = "widespread", "Widespread"


class Radioisotope(models.TextChoices):
    RADIUM_223 = "radium_223", "Radium-223"
    STRONTIUM_89 = "strontium_89", "Strontium-89"
    SAMARIUM_153 = "samarium_153", "Samarium-153"


class LetterAudience(models.TextChoices):
    """Who an outcome letter is written for."""

    GP = "gp", "Letter to the GP"
    PATIENT = "patient", "Letter to the patient"


class DocumentKind(models.TextChoices):
    """What a board member was sent a link to."""

    LETTER = "letter", "Outcome letter"
    MINUTES = "minutes", "Minutes of the meeting"


class SecurityEvent(models.TextChoices):
    """What happened to an account, for the email that tells its owner
    (`cases.security_notices`). The labels are the emails' subjects."""

    PASSWORD_CHANGED = "password_changed", "Your Boardsite password was changed"
    SECOND_FACTOR_ADDED = "second_factor_added", "Two-factor sign-in was set up on your account"
    SECOND_FACTOR_REMOVED = ("second_factor_removed",
                             "Two-factor sign-in was removed from your account")
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", "New recovery codes were made for you"
    RECOVERY_CODE_USED = "recovery_code_used", "A recovery code was used to sign in"
    LOCKED_OUT = "locked_out", "Your Boardsite account was locked after failed sign-ins"
    API_TOKEN_ISSUED = "api_token_issued", "A new API token was issued for your account"
