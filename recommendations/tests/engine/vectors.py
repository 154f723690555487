"""Test vectors as data: case-facts JSON (merged onto BASE), the date, and the expected
codes, scores, missing fields and quorum. ``test_vectors.py`` runs them all.

Keys: ``id``; ``facts`` (deep-merged onto BASE; lists replace); ``as_of`` (default AS_OF);
``present`` / ``absent`` (item, flag and note codes); ``missing`` / ``not_missing``
(MissingData fields); ``sins`` / ``mirels`` ({lesion_id: [min, max]});
``crcl`` (mL/min); ``dose_mg``; ``band``; ``renal_action``; ``urgency``;
``missing_from`` ({MissingData field: who supplies it}); ``quorum`` / ``not_quorum``
(firm specialties); ``provisional`` (provisional specialties);
``detail`` ({code: {key: value}} for the first item with that code).
"""

from __future__ import annotations

from typing import Any

AS_OF = "2025-06-02"
RECENT = "2025-05-30"

BASE: dict[str, Any] = {
    "patient": {"sex": "male", "age_years": 70, "weight_kg": 72.0, "weight_date": RECENT},
    "primary": {"site": "lung", "histology": "adenocarcinoma"},
    "extraskeletal": {"visceral": False, "brain": False, "nodal": False},
    "bone_disease_extent": "multiple",
    "ecog": 1,
    "ecog_date": RECENT,
    "expected_survival": "3to12m",
    "pain": {"worst_nrs": 4, "uncontrolled": False, "new_thigh_hip_groin_pain": False},
    "neurology": {
        "deficit": False,
        "suspected_cord_compression": False,
        "instability_signs": False,
    },
    "co_medication": {"aminoglycoside": False, "loop_diuretic": False, "other_nephrotoxic": False},
    "dental": {
        "last_exam_date": "2025-04-01",
        "invasive_work_pending": False,
        "unhealed_oral_lesions": False,
        "poor_oral_hygiene": False,
        "periodontal_disease": False,
        "ill_fitting_dentures": False,
    },
    "lesions": [],
    "labs": [
        {"analyte": "creatinine", "value": 1.0, "unit": "mg/dL", "taken_at": RECENT},
        {"analyte": "calcium", "value": 2.35, "unit": "mmol/L", "taken_at": RECENT},
    ],
    "imaging": [
        {"modality": "ct", "performed_on": RECENT},
        {"modality": "mri_whole_spine", "performed_on": RECENT},
        {"modality": "radiograph", "performed_on": RECENT},
    ],
}


def spine(lid: str = "S1", level: str = "T7", **kw: Any) -> dict[str, Any]:
    """A fully described, painless, stable, uncomplicated vertebral lesion (SINS 1)."""
    d: dict[str, Any] = {
        "id": lid,
        "bone": "vertebra",
        "vertebral_level": level,
        "lesion_type": "osteoblastic",
        "spinal_pain": "none",
        "alignment": "normal",
        "collapse_percent": 0,
        "body_involvement_percent": 10,
        "posterolateral": "none",
        "soft_tissue_mass": False,
        "epidural_extension": False,
        "pathological_fracture": False,
        "neuropathic_pain": False,
    }
    d.update(kw)
    return d


def limb(lid: str = "F1", bone: str = "femur", **kw: Any) -> dict[str, Any]:
    """A fully described long-bone lesion: diaphysis, mild pain, blastic, < 1/3 (Mirels 5)."""
    d: dict[str, Any] = {
        "id": lid,
        "bone": bone,
        "long_bone_segment": "diaphysis",
        "lesion_type": "osteoblastic",
        "limb_pain": "mild",
        "cortical_involvement": "lt_1_3",
        "soft_tissue_mass": False,
        "pathological_fracture": False,
        "neuropathic_pain": False,
    }
    d.update(kw)
    return d


def lab(analyte: str, value: float, unit: str, taken_at: str = RECENT) -> dict[str, Any]:
    return {"analyte": analyte, "value": value, "unit": unit, "taken_at": taken_at}


CRE_OK = lab("creatinine", 1.0, "mg/dL")
CA_OK = lab("calcium", 2.35, "mmol/L")
COUNTS_OK = [
    lab("anc", 2.0, "10^9/L"),
    lab("platelets", 150, "10^9/L"),
    lab("haemoglobin", 11.0, "g/dL"),
    lab("wbc", 4.0, "10^9/L"),
]

#: A radium-223 candidate: CRPC, symptomatic, no visceral disease, counts fine, 2 lines.
CRPC: dict[str, Any] = {
    "primary": {
        "site": "prostate",
        "histology": "adenocarcinoma",
        "castration_status": "resistant",
        "prior_mcrpc_lines": 2,
    },
    "bone_disease_extent": "widespread",
    "lesions": [spine(spinal_pain="occasional", bone_scan_uptake=True)],
    "labs": [CRE_OK, CA_OK, *COUNTS_OK],
}


def crpc(**kw: Any) -> dict[str, Any]:
    d = dict(CRPC)
    d.update(kw)
    return d


ZOL_RUNNING = {
    "bone_targeted_agents": [
        {"agent": "zoledronic_acid", "dose_mg": 4.0, "interval_weeks": 4, "start": "2025-01-06"}
    ],
}


def zol_renal(
    baseline: float, latest: float, withheld: bool = False, unit: str = "mg/dL"
) -> dict[str, Any]:
    course: dict[str, Any] = {
        "agent": "zoledronic_acid",
        "dose_mg": 4.0,
        "interval_weeks": 4,
        "start": "2025-01-06",
    }
    if withheld:
        course["withheld_since"] = "2025-05-01"
    return {
        "primary": {"site": "breast", "hormone_receptor_status": "positive",
                    "her2_status": "negative"},
        "patient": {"sex": "male", "age_years": 60, "weight_kg": 90.0, "weight_date": RECENT},
        "baseline_creatinine": lab("creatinine", baseline, unit, "2025-01-02"),
        "labs": [lab("creatinine", latest, unit), CA_OK],
        "bone_targeted_agents": [course],
    }


VECTORS: list[dict[str, Any]] = [
    # ------------------------------------------------------------ scores & assessment
    {
        "id": "sins-stable-no-surgery",
        "facts": {"lesions": [spine()]},
        "sins": {"S1": [1, 1]},
        "absent": ["SURG-SPINE-CONSULT", "SURG-SPINE-STABILISATION"],
        "not_quorum": ["spine_surgery"],
    },
    {
        "id": "sins-6-stable",
        "facts": {"lesions": [spine(level="T12", spinal_pain="occasional", lesion_type="lytic")]},
        "sins": {"S1": [6, 6]},
        "absent": ["SURG-SPINE-CONSULT"],
        "not_quorum": ["spine_surgery"],
    },
    {
        "id": "sins-7-consult",
        "facts": {"lesions": [spine(level="T12", spinal_pain="mechanical", lesion_type="mixed")]},
        "sins": {"S1": [7, 7]},
        "present": ["SURG-SPINE-CONSULT", "RT-SINGLE-8GY"],
        "absent": ["SURG-SPINE-STABILISATION"],
        "quorum": ["spine_surgery"],
    },
    {
        "id": "sins-12-consult",
        "facts": {
            "lesions": [
                spine(
                    level="L1",
                    spinal_pain="mechanical",
                    lesion_type="lytic",
                    alignment="de_novo_deformity",
                    collapse_percent=20,
                    posterolateral="none",
                )
            ]
        },
        "sins": {"S1": [12, 12]},
        "present": ["SURG-SPINE-CONSULT"],
        "absent": ["SURG-SPINE-STABILISATION"],
    },
    {
        "id": "sins-13-stabilise",
        "facts": {
            "lesions": [
                spine(
                    level="L1",
                    spinal_pain="mechanical",
                    lesion_type="lytic",
                    alignment="de_novo_deformity",
                    collapse_percent=20,
                    posterolateral="unilateral",
                )
            ]
        },
        "sins": {"S1": [13, 13]},
        "present": [
            "SURG-SPINE-STABILISATION",
            "RT-POSTOP-MULTIFRACTION",
            "FU-IMAGING-REASSESSMENT",
        ],
        "absent": ["SURG-SPINE-CONSULT", "RT-SINGLE-8GY"],
        "urgency": "before_next_meeting",
        "detail": {"RT-POSTOP-MULTIFRACTION": {"follow_up_weeks": 4}},
    },
    {
        "id": "sins-13-short-survival",
        "facts": {
            "expected_survival": "lt3m",
            "lesions": [
                spine(
                    level="L1",
                    spinal_pain="mechanical",
                    lesion_type="lytic",
                    alignment="de_novo_deformity",
                    collapse_percent=20,
                    posterolateral="unilateral",
                )
            ],
        },
        "present": ["SURG-STABILISATION-NOT-ADVISED-SURVIVAL", "RT-MULTIFRACTION-COMPLICATED"],
        "absent": ["SURG-SPINE-STABILISATION", "RT-SINGLE-8GY", "BTA-START"],
    },
    {
        "id": "sins-range-min-7-triggers",
        "facts": {
            "lesions": [
                spine(
                    level="C1",
                    spinal_pain="mechanical",
                    lesion_type="lytic",
                    alignment=None,
                    posterolateral=None,
                )
            ]
        },
        "sins": {"S1": [8, 15]},
        "present": ["SURG-SPINE-CONSULT"],
        "missing": ["lesions.0.alignment", "lesions.0.posterolateral"],
        "quorum": ["spine_surgery"],
    },
    {
        "id": "sins-range-below-7-no-consult",
        "facts": {"lesions": [spine(level="T7", spinal_pain=None, painful=False)]},
        "sins": {"S1": [1, 4]},
        "absent": ["SURG-SPINE-CONSULT"],
        "missing": ["lesions.0.spinal_pain"],
        "not_quorum": ["spine_surgery"],
    },
    {
        "id": "sins-range-provisional-spine-surgeon",
        "facts": {
            "lesions": [
                spine(
                    level="T12", lesion_type="lytic", spinal_pain=None, alignment=None, painful=True
                )
            ]
        },
        "sins": {"S1": [5, 12]},
        "provisional": ["spine_surgery"],
        "absent": ["SURG-SPINE-CONSULT"],
    },
    {
        "id": "sins-collapse-50-undefined",
        "facts": {"lesions": [spine(collapse_percent=50)]},
        "sins": {"S1": [3, 4]},
        "present": ["SINS-COLLAPSE-50-UNDEFINED"],
    },
    {
        "id": "sins-body-involvement-missing",
        "facts": {"lesions": [spine(body_involvement_percent=None)]},
        "sins": {"S1": [1, 2]},
        "missing": ["lesions.0.body_involvement_percent"],
    },
    {
        "id": "mirels-7-low",
        "facts": {
            "lesions": [
                limb(limb_pain="moderate", lesion_type="mixed", cortical_involvement="lt_1_3")
            ]
        },
        "mirels": {"F1": [7, 7]},
        "present": ["RT-SINGLE-8GY"],
        "absent": [
            "SURG-ORTHO-OPINION-MIRELS-8",
            "SURG-PROPHYLACTIC-FIXATION",
            "MIRELS-8-BORDERLINE",
        ],
        "not_quorum": ["orthopaedic_surgery"],
    },
    {
        "id": "mirels-8-borderline",
        "facts": {
            "lesions": [
                limb(limb_pain="moderate", lesion_type="mixed", cortical_involvement="1_3_to_2_3")
            ]
        },
        "mirels": {"F1": [8, 8]},
        "present": ["MIRELS-8-BORDERLINE", "SURG-ORTHO-OPINION-MIRELS-8", "RT-SINGLE-8GY"],
        "absent": ["SURG-PROPHYLACTIC-FIXATION"],
        "quorum": ["orthopaedic_surgery"],
    },
    {
        "id": "mirels-9-fixation",
        "facts": {
            "lesions": [
                limb(limb_pain="functional", lesion_type="mixed", cortical_involvement="1_3_to_2_3")
            ]
        },
        "mirels": {"F1": [9, 9]},
        "present": ["SURG-PROPHYLACTIC-FIXATION", "RT-POSTOP-MULTIFRACTION"],
        "absent": ["RT-SINGLE-8GY", "SURG-ORTHO-OPINION-MIRELS-8"],
        "quorum": ["orthopaedic_surgery"],
        "urgency": "before_next_meeting",
    },
    {
        "id": "mirels-12-peritrochanteric",
        "facts": {
            "lesions": [
                limb(
                    long_bone_segment="peritrochanteric",
                    limb_pain="functional",
                    lesion_type="lytic",
                    cortical_involvement="gt_2_3",
                )
            ]
        },
        "mirels": {"F1": [12, 12]},
        "present": ["SURG-PROPHYLACTIC-FIXATION"],
    },
    {
        "id": "mirels-upper-limb-4",
        "facts": {"lesions": [limb(bone="humerus", painful=False, limb_pain="mild")]},
        "mirels": {"F1": [4, 4]},
    },
    {
        "id": "mirels-femur-segment-missing",
        "facts": {"lesions": [limb(long_bone_segment=None)]},
        "mirels": {"F1": [5, 6]},
        "missing": ["lesions.0.long_bone_segment"],
    },
    {
        "id": "mirels-short-survival",
        "facts": {
            "expected_survival": "lt3m",
            "lesions": [
                limb(limb_pain="functional", lesion_type="lytic", cortical_involvement="gt_2_3")
            ],
        },
        "present": ["SURG-FIXATION-NOT-ADVISED-SURVIVAL", "RT-MULTIFRACTION-COMPLICATED"],
        "absent": ["SURG-PROPHYLACTIC-FIXATION"],
    },
    {
        "id": "pathological-fracture-fixation",
        "facts": {"lesions": [limb(pathological_fracture=True)]},
        "present": ["SURG-FIXATION-FRACTURE", "RT-POSTOP-MULTIFRACTION"],
        "quorum": ["orthopaedic_surgery"],
    },
    {
        "id": "fracture-fixation-needs-fitness",
        "facts": {
            "ecog": None,
            "ecog_date": None,
            "expected_survival": None,
            "lesions": [limb(pathological_fracture=True)],
        },
        "present": ["SURG-FIXATION-FRACTURE"],
        "missing": ["ecog", "expected_survival"],
        "detail": {"SURG-FIXATION-FRACTURE": {"provisional_if": "expected survival ≥ 3 months"}},
    },
    {
        "id": "surgery-poor-ps",
        "facts": {"ecog": 3, "lesions": [limb(pathological_fracture=True)]},
        "present": ["SURG-FITNESS-POOR-PS"],
        "quorum": ["palliative_care"],
    },
    {
        "id": "assessment-triad-missing",
        "facts": {
            "pain": {"worst_nrs": None, "uncontrolled": None},
            "neurology": {"deficit": None},
            "lesions": [spine(spinal_pain=None)],
        },
        "missing": ["pain.worst_nrs", "neurology.deficit", "lesions.0.painful"],
    },
    {
        "id": "creatinine-unit-unknown",
        "facts": {
            "labs": [{"analyte": "creatinine", "value": 1.0, "unit": None, "taken_at": RECENT}]
        },
        "present": ["CREATININE-UNIT-UNKNOWN"],
        "crcl": None,
        "missing": ["labs.creatinine.unit"],
        "raw": True,
    },
    # ------------------------------------------------------------ imaging
    {
        "id": "img-all-on-record",
        "facts": {"lesions": [spine(), limb()]},
        "absent": ["IMG-CT-FIRST-LINE", "IMG-MRI-WHOLE-SPINE", "IMG-LONG-BONE-XR-CT"],
    },
    {
        "id": "img-nothing-on-record",
        "facts": {"imaging": [], "lesions": [spine(), limb()]},
        "present": ["IMG-CT-FIRST-LINE", "IMG-MRI-WHOLE-SPINE", "IMG-LONG-BONE-XR-CT"],
    },
    {
        "id": "img-old-ct",
        "facts": {"imaging": [{"modality": "ct", "performed_on": "2025-01-01"}]},
        "present": ["IMG-CT-FIRST-LINE"],
        "absent": ["IMG-MRI-WHOLE-SPINE"],
    },
    # ------------------------------------------------------------ radiotherapy
    {
        "id": "rt-8gy-uncomplicated",
        "facts": {"lesions": [limb(bone="humerus", limb_pain="moderate")]},
        "present": ["RT-SINGLE-8GY", "FU-IMAGING-REASSESSMENT"],
        "absent": ["RT-MULTIFRACTION-COMPLICATED"],
        "detail": {
            "RT-SINGLE-8GY": {
                "dose_gy": 8,
                "fractions": 1,
                "follow_up_weeks": 4,
                "provisional": False,
            }
        },
    },
    {
        "id": "rt-8gy-provisional",
        "facts": {"lesions": [limb(bone="humerus", limb_pain="moderate", soft_tissue_mass=None)]},
        "present": ["RT-SINGLE-8GY"],
        "missing": ["lesions.0.soft_tissue_mass"],
        "detail": {"RT-SINGLE-8GY": {"provisional": True, "pending": ["soft_tissue_mass"]}},
    },
    {
        "id": "rt-painless-no-rt",
        "facts": {"lesions": [limb(bone="humerus", painful=False)]},
        "absent": ["RT-SINGLE-8GY", "RT-MULTIFRACTION-COMPLICATED"],
    },
    {
        "id": "rt-soft-tissue-complicated",
        "facts": {"lesions": [limb(bone="humerus", limb_pain="moderate", soft_tissue_mass=True)]},
        "present": ["RT-MULTIFRACTION-COMPLICATED"],
        "absent": ["RT-SINGLE-8GY"],
    },
    {
        "id": "rt-postop-recorded-surgery",
        "facts": {
            "lesions": [limb(bone="humerus")],
            "surgeries": [{"kind": "fixation", "lesion_id": "F1", "performed_on": "2025-05-20"}],
        },
        "present": ["RT-POSTOP-MULTIFRACTION"],
        "absent": ["RT-SINGLE-8GY", "SURG-FIXATION-FRACTURE"],
    },
    {
        "id": "rt-sbrt-radioresistant",
        "facts": {
            "primary": {"site": "kidney"},
            "ecog": 0,
            "lesions": [spine(level="L2", spinal_pain="occasional")],
        },
        # One prescription per lesion: 8 Gy/1, with SBRT grouped as its alternative.
        "present": ["RT-SINGLE-8GY"],
        "absent": ["RT-SBRT-CONSIDER"],
        "alternatives": {"RT-SINGLE-8GY": ["RT-SBRT-CONSIDER"]},
    },
    {
        "id": "rt-sbrt-oligometastatic",
        "facts": {"bone_disease_extent": "oligometastatic", "lesions": [spine(level="L2")]},
        "present": ["RT-SBRT-CONSIDER"],
        "absent": ["RT-SINGLE-8GY"],
    },
    {
        "id": "rt-sbrt-not-ecog-2",
        "facts": {
            "primary": {"site": "melanoma"},
            "ecog": 2,
            "lesions": [spine(level="L2", spinal_pain="occasional")],
        },
        "absent": ["RT-SBRT-CONSIDER"],
        "present": ["RT-SINGLE-8GY"],
    },
    {
        "id": "rt-sbrt-not-deficit",
        "facts": {
            "primary": {"site": "sarcoma"},
            "neurology": {"deficit": True, "suspected_cord_compression": False},
            "lesions": [spine(level="L2", spinal_pain="occasional")],
        },
        "absent": ["RT-SBRT-CONSIDER"],
    },
    {
        "id": "rt-sbrt-ecog-unknown",
        "facts": {
            "primary": {"site": "thyroid"},
            "ecog": None,
            "ecog_date": None,
            "lesions": [spine(level="L2", spinal_pain="occasional")],
        },
        "absent": ["RT-SBRT-CONSIDER"],
        "missing": ["ecog"],
    },
    {
        "id": "rt-sbrt-not-common-histology",
        "facts": {
            "primary": {"site": "breast", "hormone_receptor_status": "negative",
                        "her2_status": "positive"},
            "lesions": [spine(level="L2", spinal_pain="occasional")],
        },
        "absent": ["RT-SBRT-CONSIDER"],
    },
    {
        "id": "rt-reirradiation-after-4-weeks",
        "facts": {
            "lesions": [
                spine(
                    level="L2",
                    spinal_pain="occasional",
                    prior_rt_dose_gy=8,
                    prior_rt_fractions=1,
                    prior_rt_date="2025-05-04",
                    prior_rt_technique="conventional",
                )
            ]
        },
        "present": ["RT-REIRRADIATION", "RT-CUMULATIVE-CORD-DOSE"],
        "absent": ["RT-SINGLE-8GY", "RT-SBRT-CONSIDER"],
        "detail": {"RT-REIRRADIATION": {"sbrt_reirradiation_from": "2025-10-04"}},
    },
    {
        "id": "rt-reirradiation-exactly-4-weeks-too-early",
        "facts": {
            "lesions": [
                spine(
                    level="L2",
                    spinal_pain="occasional",
                    prior_rt_dose_gy=8,
                    prior_rt_fractions=1,
                    prior_rt_date="2025-05-05",
                )
            ]
        },
        "present": ["RT-REIRRADIATION-TOO-EARLY"],
        "absent": ["RT-REIRRADIATION", "RT-SINGLE-8GY"],
    },
    {
        "id": "rt-sbrt-reirradiation-5-months",
        "facts": {
            "primary": {"site": "kidney"},
            "lesions": [
                spine(
                    level="L2",
                    spinal_pain="occasional",
                    prior_rt_dose_gy=8,
                    prior_rt_fractions=1,
                    prior_rt_date="2025-01-02",
                    prior_rt_technique="conventional",
                )
            ],
        },
        "present": ["RT-REIRRADIATION"],
        "absent": ["RT-SBRT-CONSIDER"],
        "alternatives": {"RT-REIRRADIATION": ["RT-SBRT-CONSIDER"]},
    },
    {
        "id": "rt-sbrt-reirradiation-under-5-months",
        "facts": {
            "primary": {"site": "kidney"},
            "lesions": [
                spine(
                    level="L2",
                    spinal_pain="occasional",
                    prior_rt_dose_gy=8,
                    prior_rt_fractions=1,
                    prior_rt_date="2025-01-03",
                    prior_rt_technique="conventional",
                )
            ],
        },
        "present": ["RT-REIRRADIATION"],
        "absent": ["RT-SBRT-CONSIDER"],
    },
    {
        "id": "rt-reirradiation-date-unknown",
        "facts": {"lesions": [limb(bone="humerus", prior_rt_dose_gy=8, prior_rt_fractions=1)]},
        "missing": ["lesions.0.prior_rt_date"],
        "absent": ["RT-REIRRADIATION", "RT-SINGLE-8GY"],
    },
    {
        "id": "rt-response-review-recorded-course",
        "facts": {
            "lesions": [limb(bone="humerus", painful=False)],
            "radiotherapy_courses": [
                {
                    "lesion_id": "F1",
                    "dose_gy": 8,
                    "fractions": 1,
                    "start": "2025-05-20",
                    "end": "2025-05-20",
                }
            ],
        },
        "present": ["RT-RESPONSE-REVIEW-4W"],
        "detail": {"RT-RESPONSE-REVIEW-4W": {"due_date": "2025-06-17", "follow_up_weeks": 4}},
    },
    # ------------------------------------------------------------ MSCC
    {
        "id": "mscc-all-criteria-met",
        "facts": {
            "expected_survival": "gt12m",
            "neurology": {
                "deficit": True,
                "suspected_cord_compression": True,
                "onset_date": "2025-06-02",
                "paraplegic": False,
                "compression_levels": 1,
            },
            "lesions": [spine(level="T9", epidural_extension=True, spinal_pain="mechanical")],
        },
        "present": [
            "MSCC-MRI-24H",
            "MSCC-DEXAMETHASONE-16MG",
            "MSCC-DECOMPRESSION-THEN-RT",
            "SURG-MSCC-SPINE-SURGEON-NOW",
            "RT-POSTOP-MULTIFRACTION",
        ],
        "absent": ["RT-MSCC", "PIT-DELAYED-REFERRAL", "MSCC-SURGICAL-DECISION-PENDING"],
        "urgency": "emergency",
        "quorum": ["spine_surgery"],
        "detail": {
            "MSCC-DEXAMETHASONE-16MG": {"dose_mg": 16},
            "MSCC-MRI-24H": {"within_hours": 24, "modality": "mri_whole_spine"},
        },
    },
    {
        "id": "mscc-two-levels-rt-alone",
        "facts": {
            "neurology": {
                "deficit": True,
                "suspected_cord_compression": True,
                "onset_date": "2025-05-30",
                "paraplegic": False,
                "compression_levels": 2,
            },
            "lesions": [spine(level="T9", epidural_extension=True)],
        },
        "present": ["RT-MSCC", "PIT-DELAYED-REFERRAL"],
        "absent": ["MSCC-DECOMPRESSION-THEN-RT"],
        "urgency": "emergency",
    },
    {
        "id": "mscc-radiosensitive-rt-alone",
        "facts": {
            "primary": {"site": "myeloma"},
            "neurology": {
                "deficit": True,
                "suspected_cord_compression": True,
                "onset_date": "2025-06-02",
                "paraplegic": False,
                "compression_levels": 1,
            },
            "lesions": [spine(level="T9", epidural_extension=True)],
        },
        "present": ["RT-MSCC", "BTA-OUTSIDE-REFERENCE"],
        "absent": ["MSCC-DECOMPRESSION-THEN-RT"],
    },
    {
        "id": "mscc-paraplegic-72h",
        "facts": {
            "neurology": {
                "deficit": True,
                "suspected_cord_compression": True,
                "onset_date": "2025-05-29",
                "paraplegic": True,
                "paraplegia_duration_hours": 72,
                "compression_levels": 1,
            }
        },
        "present": ["RT-MSCC"],
        "absent": ["MSCC-DECOMPRESSION-THEN-RT"],
    },
    {
        "id": "mscc-paraplegic-48h-exactly",
        "facts": {
            "neurology": {
                "deficit": True,
                "suspected_cord_compression": True,
                "onset_date": "2025-05-31",
                "paraplegic": True,
                "paraplegia_duration_hours": 48,
                "compression_levels": 1,
            }
        },
        "present": ["MSCC-DECOMPRESSION-THEN-RT"],
        "absent": ["RT-MSCC"],
    },
    {
        "id": "mscc-paraplegia-onset-2-days-ask-hours",
        "facts": {
            "neurology": {
                "deficit": True,
                "suspected_cord_compression": True,
                "onset_date": "2025-05-31",
                "paraplegic": True,
                "paraplegia_onset": "2025-05-31",
                "compression_levels": 1,
                "cord_compression_on_imaging": True,
            }
        },
        "present": ["MSCC-SURGICAL-DECISION-PENDING", "RT-MSCC"],
        "missing": ["neurology.paraplegia_duration_hours"],
        "detail": {"RT-MSCC": {"conditional": "if no decompression"}},
    },
    {
        # Suspected, MRI not reported yet: RT-03 is the branch to take if it confirms
        # compression (provisional), beside the MRI within 24 h and dexamethasone.
        "id": "mscc-suspected-mri-pending-rt-provisional",
        "facts": {
            "neurology": {
                "deficit": True,
                "suspected_cord_compression": True,
                "onset_date": "2025-06-02",
                "paraplegic": False,
            },
            "expected_survival": "lt3m",
        },
        "present": ["MSCC-MRI-24H", "MSCC-DEXAMETHASONE-16MG", "RT-MSCC"],
        "detail": {"RT-MSCC": {"conditional": "if the MRI confirms cord compression"}},
    },
    {
        # Suspected, then excluded on MRI: no emergency pathway for a negative scan.
        "id": "mscc-suspected-excluded-on-mri",
        "facts": {
            "neurology": {
                "deficit": False,
                "suspected_cord_compression": True,
                "cord_compression_on_imaging": False,
                "onset_date": "2025-06-02",
            },
        },
        "absent": ["MSCC-MRI-24H", "MSCC-DEXAMETHASONE-16MG", "RT-MSCC",
                   "MSCC-DECOMPRESSION-THEN-RT"],
    },
    {
        "id": "mscc-paraplegia-onset-3-days",
        "facts": {
            "neurology": {
                "deficit": True,
                "suspected_cord_compression": True,
                "onset_date": "2025-05-30",
                "paraplegic": True,
                "paraplegia_onset": "2025-05-30",
                "compression_levels": 1,
            }
        },
        "present": ["RT-MSCC"],
        "absent": ["MSCC-SURGICAL-DECISION-PENDING", "MSCC-DECOMPRESSION-THEN-RT"],
    },
    {
        "id": "mscc-short-survival",
        "facts": {
            "expected_survival": "lt3m",
            "neurology": {
                "deficit": True,
                "suspected_cord_compression": True,
                "onset_date": "2025-06-02",
                "paraplegic": False,
                "compression_levels": 1,
            },
        },
        "present": ["RT-MSCC"],
        "absent": ["MSCC-DECOMPRESSION-THEN-RT"],
    },
    {
        "id": "mscc-mri-contraindicated-ct",
        "facts": {
            "neurology": {
                "deficit": True,
                "suspected_cord_compression": True,
                "mri_contraindicated": True,
            }
        },
        "present": ["MSCC-MRI-24H"],
        "missing": ["neurology.onset_date", "neurology.compression_levels", "neurology.paraplegic"],
        "detail": {"MSCC-MRI-24H": {"modality": "ct"}},
    },
    {
        "id": "mscc-on-imaging-no-mri-item",
        "facts": {
            "neurology": {
                "deficit": False,
                "cord_compression_on_imaging": True,
                "onset_date": "2025-06-02",
            }
        },
        "present": ["MSCC-DEXAMETHASONE-16MG", "RT-MSCC"],
        "absent": ["MSCC-MRI-24H", "SURG-MSCC-SPINE-SURGEON-NOW"],
        "urgency": "emergency",
    },
    {
        "id": "deficit-spine-ask-mscc",
        "facts": {
            "neurology": {"deficit": True, "suspected_cord_compression": None},
            "lesions": [spine()],
        },
        "missing": ["neurology.suspected_cord_compression"],
        "absent": ["MSCC-MRI-24H"],
        "urgency": "routine",
    },
    {
        "id": "no-mscc-routine",
        "facts": {"lesions": [spine()]},
        "urgency": "routine",
        "absent": ["MSCC-MRI-24H", "MSCC-DEXAMETHASONE-16MG"],
    },
    # ------------------------------------------------------------ vertebral augmentation
    {
        "id": "augmentation-one-level",
        "facts": {
            "lesions": [
                spine(
                    level="T8",
                    spinal_pain="mechanical",
                    collapse_percent=30,
                    pathological_fracture=True,
                )
            ]
        },
        "present": ["IR-VERTEBRAL-AUGMENTATION", "IR-AUGMENTATION-RELIEF-24-48H"],
        "quorum": ["interventional_radiology"],
        "detail": {"IR-VERTEBRAL-AUGMENTATION": {"levels": ["T8"]}},
    },
    {
        "id": "collapsed-vertebra-without-fracture-box",
        # 30 % collapse with the fracture box at no: a compression fracture for RT as for
        # SURG-04 — not "8 Gy/1 without fracture" beside kyphoplasty for "a fracture".
        "facts": {
            "lesions": [
                spine(
                    level="T9",
                    spinal_pain="mechanical",
                    collapse_percent=30,
                    pathological_fracture=False,
                )
            ]
        },
        "present": ["IR-VERTEBRAL-AUGMENTATION", "RT-MULTIFRACTION-COMPLICATED"],
        "absent": ["RT-SINGLE-8GY"],
        "detail": {
            "RT-MULTIFRACTION-COMPLICATED": {
                "complications": ["vertebral body collapse of 30 % (a fracture)"]
            }
        },
    },
    {
        "id": "assess-lesion-facts-inconsistent",
        # L2 recorded twice, fractured and not: one flag for the coordinator, no plan for L2.
        "facts": {
            "lesions": [
                spine(
                    lid="A",
                    level="L2",
                    spinal_pain="mechanical",
                    collapse_percent=30,
                    pathological_fracture=True,
                ),
                spine(lid="B", level="L2", spinal_pain="occasional"),
            ]
        },
        "present": ["DATA-LESION-FACTS-INCONSISTENT"],
        # Nor the augmentation's board note or seat: the fracture is the open question.
        "absent": ["IR-VERTEBRAL-AUGMENTATION", "RT-SINGLE-8GY", "IR-AUGMENTATION-RELIEF-24-48H"],
        "not_quorum": ["interventional_radiology"],
        "missing": ["lesions.0.pathological_fracture", "lesions.1.pathological_fracture"],
    },
    {
        "id": "mscc-imaging-only-no-routine-dexamethasone",
        # NG234 1.8.7: compression on imaging without neurological symptoms or signs.
        "facts": {
            "neurology": {
                "deficit": False,
                "suspected_cord_compression": False,
                "cord_compression_on_imaging": True,
            },
            "lesions": [spine(level="T7", epidural_extension=True)],
        },
        "present": ["MSCC-DEXAMETHASONE-NOT-ROUTINE"],
        "absent": ["MSCC-DEXAMETHASONE-16MG"],
        "urgency": "emergency",
    },
    {
        "id": "augmentation-four-levels",
        "facts": {
            "lesions": [
                spine(lid=f"V{i}", level=lv, spinal_pain="mechanical", collapse_percent=30)
                for i, lv in enumerate(["T5", "T6", "T7", "T8"])
            ]
        },
        "present": ["IR-AUGMENTATION-OVER-3-LEVELS"],
        "absent": ["IR-VERTEBRAL-AUGMENTATION"],
    },
    {
        "id": "augmentation-not-with-subluxation",
        "facts": {
            "lesions": [
                spine(
                    level="T8",
                    spinal_pain="mechanical",
                    collapse_percent=30,
                    alignment="subluxation",
                )
            ]
        },
        "absent": ["IR-VERTEBRAL-AUGMENTATION"],
    },
    # ------------------------------------------------------------ BTA
    {
        "id": "bta-breast-start-both",
        # One agent recommended (zoledronic acid, CrCl ≥ 30); denosumab as its alternative,
        # so no denosumab monitoring or stopping warning while it is not drafted.
        "absent": [
            "BTA-DENOSUMAB-120MG",
            "BTA-DENOSUMAB-CALCIUM-CHECKS",
            "BTA-DENOSUMAB-NO-ABRUPT-STOP",
        ],
        "alternatives": {"BTA-START": ["BTA-DENOSUMAB-120MG"]},
        "facts": {"primary": {"site": "breast", "hormone_receptor_status": "negative",
                              "her2_status": "negative"}},
        "present": [
            "BTA-START",
            "BTA-ZOLEDRONIC-DOSE",
            "BTA-ZOLEDRONIC-INFUSION",
            "BTA-ZOLEDRONIC-CREATININE-CHECK",
            "BTA-CALCIUM-VITAMIN-D",
            "BTA-DENTAL-EXAM-FIRST",
            "BTA-ACUTE-PHASE-REACTION",
            "IMG-FLARE-CAVEAT",
            "FU-BONE-MARKERS-OPTIONAL",
        ],
        "crcl": 70.0,
        "dose_mg": 4.0,
        "band": "> 60",
        "detail": {
            "BTA-ZOLEDRONIC-DOSE": {
                "agent": "zoledronic_acid",
                "dose_mg": 4.0,
                "interval_weeks": 4,
                "alternative_interval_weeks": 12,
            },
            "BTA-START": {"recommended_agent": "zoledronic_acid"},
            "BTA-CALCIUM-VITAMIN-D": {"calcium_mg_daily": 500, "vitamin_d_iu_daily": 400},
            "BTA-ZOLEDRONIC-INFUSION": {"infusion_minutes_min": 15, "hydrate_before": True},
            "BTA-DENTAL-EXAM-FIRST": {"blocks_start": True},
        },
    },
    {"id": "bta-crpc-indicated", "facts": crpc(), "present": ["BTA-START"]},
    {
        "id": "bta-cspc-no-benefit",
        "facts": crpc(primary={"site": "prostate", "castration_status": "sensitive"}),
        "present": ["BTA-NO-SRE-BENEFIT-CSPC", "RA223-EXCL-CASTRATION-SENSITIVE"],
        "absent": ["BTA-START", "BTA-DENTAL-EXAM-FIRST"],
    },
    {
        "id": "bta-prostate-castration-unknown",
        "facts": crpc(primary={"site": "prostate", "castration_status": "unknown"}),
        "missing": ["primary.castration_status"],
        "absent": ["BTA-START", "RA223-ELIGIBLE"],
    },
    {
        "id": "bta-other-solid-survival-ok",
        "facts": {"expected_survival": "gt12m"},
        "present": ["BTA-START"],
    },
    {
        "id": "bta-other-solid-short-survival",
        "facts": {"expected_survival": "lt3m"},
        "present": ["BTA-NOT-INDICATED-SHORT-SURVIVAL"],
        "absent": ["BTA-START"],
    },
    {
        "id": "bta-other-solid-survival-unknown",
        # Unknown survival: the likely branch drafted provisionally with its prerequisites.
        "facts": {"expected_survival": None},
        "missing": ["expected_survival"],
        "present": [
            "BTA-START",
            "BTA-DENTAL-EXAM-FIRST",
            "BTA-ZOLEDRONIC-DOSE",
            "BTA-ZOLEDRONIC-CREATININE-CHECK",
        ],
        "detail": {"BTA-START": {"provisional_if": "life expectancy ≥ 3 months"}},
    },
    {
        "id": "bta-clearance-inputs-asked-together",
        # Creatinine and weight missing: both asked in one round.
        "facts": {
            "patient": {"sex": "male", "age_years": 70, "weight_kg": None, "weight_date": None},
            "labs": [{"analyte": "calcium", "value": 2.35, "unit": "mmol/L", "taken_at": RECENT}],
        },
        "missing": ["labs.creatinine", "patient.weight_kg"],
    },
    {
        "id": "bta-crcl-under-30-denosumab",
        "facts": {
            "primary": {"site": "breast"},
            "patient": {"sex": "male", "age_years": 80, "weight_kg": 35.9, "weight_date": RECENT},
        },
        "crcl": 29.9,
        "present": [
            "BTA-ZOLEDRONIC-NOT-RECOMMENDED-CRCL30",
            "BTA-DENOSUMAB-120MG",
            "BTA-DENOSUMAB-HYPOCALCAEMIA-RISK",
        ],
        "absent": ["BTA-ZOLEDRONIC-DOSE", "BTA-ZOLEDRONIC-INFUSION", "BTA-ACUTE-PHASE-REACTION"],
        "detail": {
            "BTA-START": {"candidate_agents": ["denosumab"]},
            "BTA-DENOSUMAB-120MG": {"alternative_to": None},
        },
    },
    {
        "id": "bta-dialysis-hypocalcaemia-risk",
        "facts": {
            "primary": {"site": "breast"},
            "patient": {
                "sex": "female",
                "age_years": 60,
                "weight_kg": 70.0,
                "weight_date": RECENT,
                "on_dialysis": True,
            },
            "bone_targeted_agents": [
                {"agent": "denosumab", "dose_mg": 120, "interval_weeks": 4, "start": "2025-05-01"}
            ],
        },
        "present": ["BTA-DENOSUMAB-HYPOCALCAEMIA-RISK", "BTA-DENOSUMAB-NO-ABRUPT-STOP"],
    },
    {
        "id": "bta-hypocalcaemia-correct-first",
        "facts": {
            "primary": {"site": "breast"},
            "labs": [CRE_OK, lab("calcium", 8.0, "mg/dL")],
            "bone_targeted_agents": [
                {"agent": "denosumab", "dose_mg": 120, "interval_weeks": 4, "start": "2025-05-01"}
            ],
        },
        "present": ["BTA-HYPOCALCAEMIA-CORRECT-FIRST"],
    },
    {
        "id": "zol-running-no-baseline-no-weight-asked-together",
        # The baseline clearance needs the pre-first-dose creatinine and the weight: both in
        # one round, not the weight after the creatinine arrives.
        "facts": {**ZOL_RUNNING, "patient": {"weight_kg": None, "weight_date": None}},
        "missing": ["baseline_creatinine", "patient.weight_kg"],
    },
    {
        "id": "bta-hypocalcaemia-from-total-calcium-and-albumin",
        # No adjusted value: total calcium 2.0 mmol/L with albumin 40 g/L corrects (Payne,
        # HCM-04) to 2.00 mmol/L, low — flagged, not asked for as "absent".
        "facts": {
            "primary": {"site": "breast"},
            "labs": [CRE_OK, lab("calcium_total", 2.0, "mmol/L"), lab("albumin", 40, "g/L")],
            "bone_targeted_agents": [
                {"agent": "denosumab", "dose_mg": 120, "interval_weeks": 4, "start": "2025-05-01"}
            ],
        },
        "present": ["BTA-HYPOCALCAEMIA-CORRECT-FIRST"],
        "not_missing": ["labs.calcium"],
    },
    {
        "id": "bta-hypocalcaemia-denosumab-only-alternative",
        # Denosumab only an alternative: its hypocalcaemia flag travels with the
        # alternative as a caveat, not as a flag about a drug not drafted.
        "facts": {"primary": {"site": "breast"}, "labs": [CRE_OK, lab("calcium", 8.0, "mg/dL")]},
        "absent": ["BTA-HYPOCALCAEMIA-CORRECT-FIRST", "BTA-DENOSUMAB-120MG"],
        "alternatives": {"BTA-START": ["BTA-DENOSUMAB-120MG"]},
    },
    {
        "id": "bta-calcium-missing",
        "facts": {"primary": {"site": "breast"}, "labs": [CRE_OK]},
        "missing": ["labs.calcium"],
    },
    {
        "id": "bta-creatinine-stale",
        "facts": {
            "primary": {"site": "breast"},
            "labs": [lab("creatinine", 1.0, "mg/dL", "2025-04-01"), CA_OK],
        },
        "crcl": None,
        "missing": ["labs.creatinine"],
        # Zoledronic acid still drafted (infusion; dose once a fresh creatinine is in),
        # denosumab its alternative.
        "absent": ["BTA-ZOLEDRONIC-DOSE", "BTA-DENOSUMAB-120MG"],
        "present": ["BTA-ZOLEDRONIC-INFUSION"],
        "alternatives": {"BTA-START": ["BTA-DENOSUMAB-120MG"]},
    },
    {
        "id": "bta-creatinine-31-days-stale",
        "facts": {
            "primary": {"site": "breast"},
            "labs": [lab("creatinine", 1.0, "mg/dL", "2025-05-02"), CA_OK],
        },
        "crcl": None,
        "missing": ["labs.creatinine"],
    },
    {
        "id": "bta-creatinine-30-days-fresh",
        "facts": {
            "primary": {"site": "breast"},
            "labs": [lab("creatinine", 1.0, "mg/dL", "2025-05-03"), CA_OK],
        },
        "crcl": 70.0,
        "present": ["BTA-ZOLEDRONIC-DOSE"],
    },
    {
        "id": "bta-future-lab-ignored",
        "facts": {
            "primary": {"site": "breast"},
            "labs": [lab("creatinine", 5.0, "mg/dL", "2025-06-05"), CRE_OK, CA_OK],
        },
        "crcl": 70.0,
        "as_of_check": False,
    },
    {
        "id": "bta-weight-stale",
        "facts": {
            "primary": {"site": "breast"},
            "patient": {
                "sex": "male",
                "age_years": 70,
                "weight_kg": 72.0,
                "weight_date": "2025-01-01",
            },
        },
        "missing": ["patient.weight_kg"],
        "absent": ["BTA-ZOLEDRONIC-DOSE"],
    },
    {
        "id": "bta-dental-risk-flags",
        "facts": {
            "primary": {"site": "breast"},
            "dental": {
                "invasive_work_pending": True,
                "unhealed_oral_lesions": True,
                "poor_oral_hygiene": True,
                "periodontal_disease": True,
                "ill_fitting_dentures": True,
            },
            "systemic_therapies": [
                {"kind": "chemotherapy", "start": "2025-05-01"},
                {"kind": "corticosteroid", "start": "2025-05-01"},
                {"kind": "anti_angiogenic", "planned": True},
            ],
        },
        "present": [
            "ONJ-DELAY-START-UNHEALED-LESIONS",
            "ONJ-RISK-INVASIVE-DENTAL-WORK",
            "ONJ-RISK-POOR-ORAL-HYGIENE",
            "ONJ-RISK-PERIODONTAL-DISEASE",
            "ONJ-RISK-ILL-FITTING-DENTURES",
            "ONJ-RISK-CHEMOTHERAPY",
            "ONJ-RISK-CORTICOSTEROID",
            "ONJ-RISK-ANTI-ANGIOGENIC",
            "PIT-ONJ-CHEMO-AND-STEROIDS",
        ],
    },
    {
        "id": "bta-dental-unknown",
        "facts": {
            "primary": {"site": "breast"},
            "dental": {
                "last_exam_date": None,
                "invasive_work_pending": None,
                "unhealed_oral_lesions": None,
            },
        },
        "present": ["BTA-DENTAL-EXAM-FIRST"],
        "missing": ["dental.unhealed_oral_lesions", "dental.invasive_work_pending"],
        "detail": {"BTA-DENTAL-EXAM-FIRST": {"last_exam_date": None, "recent_exam": False}},
    },
    {
        "id": "bta-zol-running-continue",
        "facts": {
            "primary": {"site": "breast"},
            "baseline_creatinine": lab("creatinine", 1.0, "mg/dL", "2025-01-02"),
            **ZOL_RUNNING,
        },
        "present": ["BTA-CONTINUE", "BTA-ZOLEDRONIC-DOSE", "BTA-ZOLEDRONIC-CREATININE-CHECK"],
        "absent": [
            "BTA-START",
            "BTA-DENTAL-EXAM-FIRST",
            "BTA-DENOSUMAB-120MG",
            "BTA-ZOLEDRONIC-WITHHOLD",
        ],
        "renal_action": "give",
        "dose_mg": 4.0,
    },
    {
        "id": "bta-zol-running-baseline-missing",
        "facts": {"primary": {"site": "breast"}, **ZOL_RUNNING},
        "missing": ["baseline_creatinine"],
        "absent": ["BTA-ZOLEDRONIC-DOSE"],
        "renal_action": None,
    },
    {
        "id": "bta-zol-dose-mismatch",
        "facts": {
            "primary": {"site": "breast"},
            "patient": {"sex": "male", "age_years": 80, "weight_kg": 60.0, "weight_date": RECENT},
            "baseline_creatinine": lab("creatinine", 1.0, "mg/dL", "2025-01-02"),
            **ZOL_RUNNING,
        },
        "dose_mg": 3.5,
        "present": ["BTA-ZOLEDRONIC-DOSE-MISMATCH", "PIT-RENAL-RISK-ZOLEDRONIC"],
    },
    {
        "id": "bta-zol-latest-crcl-under-30",
        "facts": {
            "primary": {"site": "breast"},
            "baseline_creatinine": lab("creatinine", 1.0, "mg/dL", "2025-01-02"),
            "labs": [lab("creatinine", 2.5, "mg/dL"), CA_OK],
            **ZOL_RUNNING,
        },
        "present": ["BTA-ZOLEDRONIC-NOT-RECOMMENDED-CRCL30", "BTA-ZOLEDRONIC-WITHHOLD"],
    },
    {
        "id": "bta-renal-normal-baseline-rise-0.5-withhold",
        "facts": zol_renal(1.0, 1.5),
        "renal_action": "withhold",
        # The withhold supersedes continue and the regimen: one recheck item remains.
        "present": ["BTA-ZOLEDRONIC-WITHHOLD", "BTA-ZOLEDRONIC-CREATININE-CHECK"],
        "absent": ["BTA-CONTINUE", "BTA-ZOLEDRONIC-DOSE", "BTA-ZOLEDRONIC-INFUSION"],
        "detail": {"BTA-ZOLEDRONIC-CREATININE-CHECK": {"withheld": True}},
    },
    {
        "id": "bta-renal-normal-baseline-rise-0.49-give",
        "facts": zol_renal(1.0, 1.49),
        "renal_action": "give",
        "absent": ["BTA-ZOLEDRONIC-WITHHOLD"],
    },
    {
        "id": "bta-renal-float-trap-0.9-to-1.4",
        "facts": zol_renal(0.9, 1.4),
        "renal_action": "withhold",
    },
    {
        "id": "bta-renal-abnormal-baseline-rise-1.0-withhold",
        "facts": zol_renal(1.5, 2.5),
        "renal_action": "withhold",
    },
    {
        "id": "bta-renal-abnormal-baseline-rise-0.9-give",
        "facts": zol_renal(1.5, 2.4),
        "renal_action": "give",
    },
    {
        # Exactly 1.4 mg/dL is undefined in the label (< 1.4 normal, > 1.4 abnormal): the
        # stricter 0.5 rise applies and the explanation says the baseline is undefined.
        "id": "bta-renal-baseline-exactly-1.4-undefined",
        "facts": zol_renal(1.4, 1.9),
        "renal_action": "withhold",
        "present": ["BTA-ZOLEDRONIC-WITHHOLD"],
    },
    {
        "id": "bta-renal-baseline-exactly-1.4-rise-0.49-give",
        "facts": zol_renal(1.4, 1.89),
        "renal_action": "give",
    },
    {
        # Both values in µmol/L: the label's 44 µmol/L rise, not 0.5 mg/dL after conversion
        # (44 / 88.4 = 0.4977 would be missed).
        "id": "bta-renal-umol-rise-44-withhold",
        "facts": zol_renal(80, 124, unit="umol/L"),
        "renal_action": "withhold",
    },
    {
        "id": "bta-renal-umol-rise-43-give",
        "facts": zol_renal(80, 123, unit="umol/L"),
        "renal_action": "give",
    },
    {
        "id": "bta-renal-baseline-1.39-is-normal",
        "facts": zol_renal(1.39, 1.89),
        "renal_action": "withhold",
    },
    {
        "id": "bta-renal-resume-within-10pct",
        "facts": zol_renal(1.0, 1.1, withheld=True),
        "renal_action": "resume",
        "present": ["BTA-ZOLEDRONIC-RESUME"],
        "detail": {"BTA-ZOLEDRONIC-RESUME": {"dose_mg": 4.0}},
    },
    {
        "id": "bta-renal-keep-withholding",
        "facts": zol_renal(1.0, 1.11, withheld=True),
        "renal_action": "keep_withholding",
        "present": ["BTA-ZOLEDRONIC-KEEP-WITHHOLDING"],
        "absent": ["BTA-ZOLEDRONIC-RESUME"],
    },
    {
        "id": "bta-aff-long-term",
        "facts": {
            "primary": {"site": "breast"},
            "bone_targeted_agents": [
                {"agent": "denosumab", "dose_mg": 120, "interval_weeks": 4, "start": "2023-05-01"}
            ],
            "pain": {"worst_nrs": 3, "new_thigh_hip_groin_pain": None},
        },
        "present": [
            "BTA-AFF-THIGH-PAIN-QUESTION",
            "ONJ-RISK-LONG-EXPOSURE",
            "BTA-DENOSUMAB-NO-ABRUPT-STOP",
        ],
        "missing": ["pain.new_thigh_hip_groin_pain"],
        "detail": {"BTA-DENOSUMAB-CALCIUM-CHECKS": {"checks": ["before_each_dose"]}},
    },
    {
        "id": "bta-aff-new-thigh-pain",
        "facts": {
            "primary": {"site": "breast"},
            "bone_targeted_agents": [{"agent": "zoledronic_acid", "start": "2025-03-01"}],
            "pain": {"worst_nrs": 3, "new_thigh_hip_groin_pain": True},
        },
        "present": ["BTA-AFF-IMAGE-BOTH-FEMORA"],
        "absent": ["BTA-AFF-THIGH-PAIN-QUESTION"],
    },
    # ------------------------------------------------------------ radioisotopes
    {
        "id": "ra223-eligible",
        "facts": crpc(),
        "present": ["RA223-ELIGIBLE", "RA223-55KBQ-Q4W-X6", "RA223-FBC-BEFORE-EACH-DOSE"],
        "quorum": ["nuclear_medicine"],
        "detail": {
            "RA223-55KBQ-Q4W-X6": {
                "dose_kbq_per_kg": 55,
                "activity_kbq": 3960,
                "interval_weeks": 4,
                "doses": 6,
                "doses_remaining": 6,
            },
            "RA223-FBC-BEFORE-EACH-DOSE": {"doses": 6, "interval_weeks": 4},
        },
    },
    {
        "id": "ra223-excl-visceral",
        "facts": crpc(extraskeletal={"visceral": True}),
        "present": ["RA223-EXCL-VISCERAL"],
        "absent": ["RA223-ELIGIBLE", "RA223-55KBQ-Q4W-X6"],
    },
    {
        "id": "ra223-visceral-unknown",
        "facts": crpc(extraskeletal={"visceral": None}, bone_disease_extent="multiple"),
        "missing": ["extraskeletal.visceral"],
        "absent": ["RA223-ELIGIBLE"],
        "provisional": ["nuclear_medicine"],
    },
    {
        "id": "ra223-excl-non-prostate",
        "facts": {
            "primary": {"site": "breast"},
            "labs": [CRE_OK, CA_OK, *COUNTS_OK],
            "radioisotope_courses": [{"agent": "radium_223", "planned": True}],
        },
        "present": ["RA223-EXCL-NON-PROSTATE"],
        "absent": ["RA223-ELIGIBLE"],
    },
    {
        "id": "ra223-breast-not-considered",
        "facts": {"primary": {"site": "breast"}},
        "absent": ["RA223-EXCL-NON-PROSTATE", "RA223-ELIGIBLE"],
    },
    {
        "id": "ra223-excl-asymptomatic",
        "facts": crpc(pain={"worst_nrs": 0}, lesions=[spine(painful=False, bone_scan_uptake=True)]),
        "present": ["RA223-EXCL-ASYMPTOMATIC"],
        "absent": ["RA223-ELIGIBLE"],
    },
    {
        "id": "ra223-excl-abiraterone",
        "facts": crpc(
            systemic_therapies=[{"kind": "abiraterone_prednisone", "start": "2025-01-01"}]
        ),
        "present": ["RA223-EXCL-ABIRATERONE-PREDNISONE"],
        "absent": ["RA223-ELIGIBLE"],
    },
    {
        "id": "ra223-abiraterone-stopped-ok",
        "facts": crpc(
            systemic_therapies=[
                {"kind": "abiraterone_prednisone", "start": "2024-01-01", "stop": "2025-01-01"}
            ]
        ),
        "absent": ["RA223-EXCL-ABIRATERONE-PREDNISONE"],
        "present": ["RA223-ELIGIBLE"],
    },
    {
        "id": "ra223-excl-chemotherapy-planned",
        "facts": crpc(
            systemic_therapies=[{"kind": "chemotherapy", "name": "docetaxel", "planned": True}]
        ),
        "present": ["RA223-EXCL-CHEMOTHERAPY"],
        "absent": ["RA223-ELIGIBLE"],
    },
    {
        "id": "ra223-first-dose-anc-1.5-ok",
        "facts": crpc(
            labs=[
                CRE_OK,
                CA_OK,
                lab("anc", 1.5, "10^9/L"),
                lab("platelets", 100, "10^9/L"),
                lab("haemoglobin", 10.0, "g/dL"),
            ]
        ),
        "present": ["RA223-ELIGIBLE"],
    },
    {
        "id": "ra223-first-dose-hb-in-g-per-l",
        "facts": crpc(
            labs=[
                CRE_OK,
                CA_OK,
                lab("anc", 2.0, "10^9/L"),
                lab("platelets", 150, "10^9/L"),
                lab("haemoglobin", 99, "g/L"),
            ]
        ),
        "present": ["RA223-EXCL-HB-FIRST-DOSE"],
    },
    {
        "id": "ra223-first-dose-anc-low",
        "facts": crpc(
            labs=[
                CRE_OK,
                CA_OK,
                lab("anc", 1.4, "10^9/L"),
                lab("platelets", 150, "10^9/L"),
                lab("haemoglobin", 11.0, "g/dL"),
            ]
        ),
        "present": ["RA223-EXCL-ANC-FIRST-DOSE"],
        "absent": ["RA223-ELIGIBLE", "RA223-EXCL-PLATELETS-FIRST-DOSE"],
    },
    {
        "id": "ra223-first-dose-platelets-low",
        "facts": crpc(
            labs=[
                CRE_OK,
                CA_OK,
                lab("anc", 2.0, "10^9/L"),
                lab("platelets", 99, "10^9/L"),
                lab("haemoglobin", 11.0, "g/dL"),
            ]
        ),
        "present": ["RA223-EXCL-PLATELETS-FIRST-DOSE"],
    },
    {
        "id": "ra223-first-dose-hb-low",
        "facts": crpc(
            labs=[
                CRE_OK,
                CA_OK,
                lab("anc", 2.0, "10^9/L"),
                lab("platelets", 150, "10^9/L"),
                lab("haemoglobin", 9.9, "g/dL"),
            ]
        ),
        "present": ["RA223-EXCL-HB-FIRST-DOSE"],
    },
    {
        "id": "ra223-later-dose-floors-ok",
        "facts": crpc(
            labs=[
                CRE_OK,
                CA_OK,
                lab("anc", 1.0, "10^9/L"),
                lab("platelets", 50, "10^9/L"),
                lab("haemoglobin", 9.0, "g/dL"),
            ],
            radioisotope_courses=[
                {
                    "agent": "radium_223",
                    "doses_given": 2,
                    "first_dose": "2025-04-07",
                    "last_dose": "2025-05-05",
                }
            ],
        ),
        "present": ["RA223-ELIGIBLE", "RA223-FBC-BEFORE-EACH-DOSE"],
        "absent": ["RA223-EXCL-HB-FIRST-DOSE", "RA223-HOLD-ANC-LATER-DOSE"],
        "detail": {"RA223-55KBQ-Q4W-X6": {"doses_given": 2, "doses_remaining": 4}},
    },
    {
        "id": "ra223-later-dose-anc-low",
        "facts": crpc(
            labs=[CRE_OK, CA_OK, lab("anc", 0.9, "10^9/L"), lab("platelets", 50, "10^9/L")],
            radioisotope_courses=[
                {
                    "agent": "radium_223",
                    "doses_given": 2,
                    "first_dose": "2025-04-07",
                    "last_dose": "2025-05-05",
                }
            ],
        ),
        "present": ["RA223-HOLD-ANC-LATER-DOSE"],
        # No FBC reminder for a dose that is on hold.
        "absent": ["RA223-STOP-NO-RECOVERY", "RA223-FBC-BEFORE-EACH-DOSE"],
    },
    {
        "id": "ra223-later-dose-platelets-low-no-recovery",
        "facts": crpc(
            labs=[CRE_OK, CA_OK, lab("anc", 1.2, "10^9/L"), lab("platelets", 49, "10^9/L")],
            radioisotope_courses=[
                {
                    "agent": "radium_223",
                    "doses_given": 3,
                    "first_dose": "2025-02-01",
                    "last_dose": "2025-04-01",
                }
            ],
        ),
        "present": ["RA223-HOLD-PLATELETS-LATER-DOSE", "RA223-STOP-NO-RECOVERY"],
    },
    {
        "id": "ra223-no-recovery-56-days-to-count",
        # 6–8 weeks counted from the last dose to the date of the low count.
        "facts": crpc(
            labs=[
                CRE_OK,
                CA_OK,
                lab("anc", 1.2, "10^9/L", "2025-05-27"),
                lab("platelets", 49, "10^9/L", "2025-05-27"),
            ],
            radioisotope_courses=[
                {
                    "agent": "radium_223",
                    "doses_given": 3,
                    "first_dose": "2025-02-04",
                    "last_dose": "2025-04-01",
                }
            ],
        ),
        "present": ["RA223-HOLD-PLATELETS-LATER-DOSE"],
        "absent": ["RA223-STOP-NO-RECOVERY"],
    },
    {
        "id": "ra223-no-recovery-57-days-to-count",
        # 6–8 weeks counted from the last dose to the date of the low count.
        "facts": crpc(
            labs=[
                CRE_OK,
                CA_OK,
                lab("anc", 1.2, "10^9/L", "2025-05-28"),
                lab("platelets", 49, "10^9/L", "2025-05-28"),
            ],
            radioisotope_courses=[
                {
                    "agent": "radium_223",
                    "doses_given": 3,
                    "first_dose": "2025-02-04",
                    "last_dose": "2025-04-01",
                }
            ],
        ),
        "present": ["RA223-HOLD-PLATELETS-LATER-DOSE", "RA223-STOP-NO-RECOVERY"],
    },
    {
        "id": "ra223-course-complete",
        "facts": crpc(
            radioisotope_courses=[
                {
                    "agent": "radium_223",
                    "doses_given": 6,
                    "first_dose": "2024-11-01",
                    "last_dose": "2025-04-01",
                }
            ]
        ),
        "present": ["RA223-COURSE-COMPLETE"],
        "absent": ["RA223-ELIGIBLE", "RA223-FBC-BEFORE-EACH-DOSE"],
    },
    {
        "id": "ra223-counts-stale",
        "facts": crpc(
            labs=[
                CRE_OK,
                CA_OK,
                lab("anc", 2.0, "10^9/L", "2025-05-01"),
                lab("platelets", 150, "10^9/L", "2025-05-01"),
                lab("haemoglobin", 11.0, "g/dL", "2025-05-01"),
            ]
        ),
        "missing": ["labs.anc", "labs.platelets", "labs.haemoglobin"],
        "absent": ["RA223-ELIGIBLE"],
    },
    {
        "id": "ra223-eu-lines-and-oligo",
        "facts": crpc(
            primary={"site": "prostate", "castration_status": "resistant", "prior_mcrpc_lines": 1},
            bone_disease_extent="oligometastatic",
        ),
        "present": ["RA223-EU-PRIOR-LINES", "RA223-EU-FEW-BLASTIC-METS", "RA223-ELIGIBLE"],
    },
    {
        "id": "ra223-weight-missing",
        "facts": crpc(
            patient={"sex": "male", "age_years": 70, "weight_kg": None, "weight_date": None}
        ),
        "missing": ["patient.weight_kg"],
        "detail": {"RA223-55KBQ-Q4W-X6": {"activity_kbq": None}},
    },
    {
        "id": "srsm-eligible",
        # Radium-223 is eligible too: one radionuclide, Sr-89/Sm-153 its alternative (RAD-08).
        "facts": crpc(),
        "present": ["RA223-55KBQ-Q4W-X6"],
        "absent": ["RADIONUCLIDE-SR89-SM153"],
        "alternatives": {"RA223-55KBQ-Q4W-X6": ["RADIONUCLIDE-SR89-SM153"]},
    },
    {
        "id": "srsm-eligible-radium-excluded",
        # Visceral metastases exclude radium-223 (RAD-01): Sr-89/Sm-153 is the item.
        "facts": crpc(extraskeletal={"visceral": True, "brain": False, "nodal": False}),
        "present": ["RADIONUCLIDE-SR89-SM153", "RA223-EXCL-VISCERAL"],
        "absent": ["RA223-55KBQ-Q4W-X6"],
        "detail": {"RADIONUCLIDE-SR89-SM153": {"agents": ["strontium_89", "samarium_153"]}},
    },
    {
        # Correction 8: < 60 is the suggested caution level (a warning), not a safe floor.
        "id": "srsm-platelets-59-caution",
        "facts": crpc(
            labs=[
                CRE_OK,
                CA_OK,
                lab("anc", 2.0, "10^9/L"),
                lab("platelets", 59, "10^9/L"),
                lab("haemoglobin", 11.0, "g/dL"),
                lab("wbc", 2.5, "10^9/L"),
            ]
        ),
        "present": ["SRSM-EXCL-PLATELETS"],
        "absent": ["RADIONUCLIDE-SR89-SM153", "SRSM-EXCL-WBC"],
    },
    {
        "id": "srsm-wbc-2.3-caution",
        "facts": crpc(
            labs=[
                CRE_OK,
                CA_OK,
                lab("anc", 2.0, "10^9/L"),
                lab("platelets", 61, "10^9/L"),
                lab("haemoglobin", 11.0, "g/dL"),
                lab("wbc", 2.3, "10^9/L"),
            ]
        ),
        "present": ["SRSM-EXCL-WBC"],
        "absent": ["RADIONUCLIDE-SR89-SM153", "SRSM-EXCL-PLATELETS"],
    },
    {
        "id": "srsm-no-uptake",
        "facts": crpc(lesions=[spine(spinal_pain="occasional", bone_scan_uptake=False)]),
        "present": ["SRSM-EXCL-NO-UPTAKE"],
        "absent": ["RADIONUCLIDE-SR89-SM153"],
    },
    {
        "id": "srsm-lung-primary-note",
        "facts": {
            "bone_disease_extent": "widespread",
            "lesions": [spine(spinal_pain="occasional", bone_scan_uptake=True)],
            "labs": [CRE_OK, CA_OK, *COUNTS_OK],
        },
        "present": ["RADIONUCLIDE-SR89-SM153", "SRSM-PRIMARY-NOT-PROSTATE-BREAST"],
    },
    {
        "id": "srsm-not-widespread",
        "facts": crpc(bone_disease_extent="multiple"),
        "absent": ["RADIONUCLIDE-SR89-SM153"],
    },
    # ---------------------------------------------- systemic, pitfalls, follow-up, quorum
    # SYS-01, breast: the hormone-receptor (ER/PR) and the HER2 status are two facts, each
    # asked for on its own: of medical oncology when not recorded (None), of pathology
    # when recorded as not known.
    {
        "id": "systemic-breast-receptors-not-recorded",
        "facts": {"primary": {"site": "breast"}},
        "present": ["SYS-INTEGRATE-WITH-LOCAL"],
        "missing_from": {"primary.hormone_receptor_status": "medical_oncology",
                         "primary.her2_status": "medical_oncology"},
        "detail": {"SYS-INTEGRATE-WITH-LOCAL": {
            "summary": "Medical oncology: systemic plan for breast, timed with local treatment"}},
    },
    {
        "id": "systemic-breast-receptors-not-known",
        "facts": {"primary": {"site": "breast", "hormone_receptor_status": "unknown",
                              "her2_status": "unknown"}},
        "missing_from": {"primary.hormone_receptor_status": "pathology",
                         "primary.her2_status": "pathology"},
    },
    {
        "id": "systemic-breast-hr-positive-her2-not-recorded",
        "facts": {"primary": {"site": "breast", "hormone_receptor_status": "positive"}},
        "missing_from": {"primary.her2_status": "medical_oncology"},
        "not_missing": ["primary.hormone_receptor_status"],
        "detail": {"SYS-INTEGRATE-WITH-LOCAL": {
            "summary": "Medical oncology: systemic plan for breast, HR-positive, timed with "
                       "local treatment"}},
    },
    {
        "id": "systemic-breast-her2-positive-hr-not-known",
        "facts": {"primary": {"site": "breast", "hormone_receptor_status": "unknown",
                              "her2_status": "positive"}},
        "missing_from": {"primary.hormone_receptor_status": "pathology"},
        "not_missing": ["primary.her2_status"],
    },
    {
        "id": "systemic-breast-hr-negative-her2-equivocal-pending-ish",
        # IHC 2+ awaiting ISH is recorded "not known" (ASCO/CAP 2018): pathology reports it.
        "facts": {"primary": {"site": "breast", "hormone_receptor_status": "negative",
                              "her2_status": "unknown"}},
        "missing_from": {"primary.her2_status": "pathology"},
        "not_missing": ["primary.hormone_receptor_status"],
    },
    {
        "id": "systemic-breast-triple-positive",
        "facts": {"primary": {"site": "breast", "hormone_receptor_status": "positive",
                              "her2_status": "positive"}},
        "not_missing": ["primary.hormone_receptor_status", "primary.her2_status"],
        "detail": {"SYS-INTEGRATE-WITH-LOCAL": {
            "summary": "Medical oncology: systemic plan for breast, HR-positive, "
                       "HER2-positive, timed with local treatment"}},
    },
    {
        "id": "systemic-breast-hr-positive-her2-negative",
        "facts": {"primary": {"site": "breast", "hormone_receptor_status": "positive",
                              "her2_status": "negative"}},
        "not_missing": ["primary.hormone_receptor_status", "primary.her2_status"],
        "detail": {"SYS-INTEGRATE-WITH-LOCAL": {
            "summary": "Medical oncology: systemic plan for breast, HR-positive, "
                       "HER2-negative, timed with local treatment"}},
    },
    {
        "id": "systemic-breast-triple-negative",
        "facts": {"primary": {"site": "breast", "hormone_receptor_status": "negative",
                              "her2_status": "negative"}},
        "not_missing": ["primary.hormone_receptor_status", "primary.her2_status"],
        "detail": {"SYS-INTEGRATE-WITH-LOCAL": {
            "summary": "Medical oncology: systemic plan for breast, triple-negative "
                       "(HR-negative, HER2-negative), timed with local treatment"}},
    },
    # The legacy combined key (case facts written before engine 1.4.0) is read as the two
    # statuses it stated: "her2+" said nothing of the hormone receptors.
    {
        "id": "systemic-breast-legacy-hr-positive-her2-negative",
        "facts": {"primary": {"site": "breast", "receptor_status": "hr+/her2-"}},
        "not_missing": ["primary.hormone_receptor_status", "primary.her2_status"],
        "detail": {"SYS-INTEGRATE-WITH-LOCAL": {
            "summary": "Medical oncology: systemic plan for breast, HR-positive, "
                       "HER2-negative, timed with local treatment"}},
    },
    {
        "id": "systemic-breast-legacy-her2-positive",
        "facts": {"primary": {"site": "breast", "receptor_status": "her2+"}},
        "missing_from": {"primary.hormone_receptor_status": "pathology"},
        "not_missing": ["primary.her2_status"],
    },
    {
        "id": "systemic-breast-legacy-triple-negative",
        "facts": {"primary": {"site": "breast", "receptor_status": "triple_negative"}},
        "not_missing": ["primary.hormone_receptor_status", "primary.her2_status"],
        "detail": {"SYS-INTEGRATE-WITH-LOCAL": {
            "summary": "Medical oncology: systemic plan for breast, triple-negative "
                       "(HR-negative, HER2-negative), timed with local treatment"}},
    },
    {
        "id": "systemic-breast-legacy-unknown",
        "facts": {"primary": {"site": "breast", "receptor_status": "unknown"}},
        "missing_from": {"primary.hormone_receptor_status": "pathology",
                         "primary.her2_status": "pathology"},
    },
    {
        "id": "systemic-not-breast-no-receptors-asked",
        "facts": {"primary": {"site": "lung"}},
        "not_missing": ["primary.hormone_receptor_status", "primary.her2_status"],
    },
    {
        "id": "systemic-notes",
        "facts": {
            "systemic_therapies": [
                {"kind": "chemotherapy", "start": "2025-05-01"},
                {"kind": "targeted", "name": "osimertinib", "start": "2025-05-01"},
            ]
        },
        "present": ["SYS-TREATMENT-BONE-LOSS", "SYS-EGFR-OSTEOBLAST", "IMG-FLARE-CAVEAT"],
    },
    {
        "id": "primary-unknown",
        "facts": {"primary": {"site": None}},
        "missing": ["primary.site"],
        "absent": ["SYS-INTEGRATE-WITH-LOCAL", "BTA-START"],
    },
    {
        "id": "pitfall-renal-risk-crcl-50",
        "facts": {
            "primary": {"site": "breast"},
            "patient": {"sex": "male", "age_years": 80, "weight_kg": 60.0, "weight_date": RECENT},
        },
        "crcl": 50.0,
        "dose_mg": 3.5,
        "present": ["PIT-RENAL-RISK-ZOLEDRONIC"],
    },
    {
        "id": "pitfall-no-renal-risk-crcl-70",
        "facts": {"primary": {"site": "breast"}},
        "absent": ["PIT-RENAL-RISK-ZOLEDRONIC"],
    },
    {
        "id": "quorum-palliative-uncontrolled-pain",
        "facts": {"pain": {"worst_nrs": 9, "uncontrolled": True}},
        "quorum": ["palliative_care", "medical_oncology", "radiation_oncology", "radiology"],
    },
    {
        "id": "quorum-no-imaging-no-radiology",
        "facts": {"imaging": []},
        "quorum": ["medical_oncology", "radiation_oncology"],
        "not_quorum": [
            "radiology",
            "spine_surgery",
            "orthopaedic_surgery",
            "palliative_care",
            "interventional_radiology",
            "nuclear_medicine",
        ],
    },
    {
        "id": "quorum-mirels-range-provisional-ortho",
        "facts": {
            "lesions": [limb(limb_pain="moderate", lesion_type="mixed", cortical_involvement=None)]
        },
        "mirels": {"F1": [7, 9]},
        "provisional": ["orthopaedic_surgery"],
    },
    {
        "id": "followup-none-without-treatment",
        "facts": {"expected_survival": "lt3m"},
        "absent": ["FU-IMAGING-REASSESSMENT", "FU-BONE-MARKERS-OPTIONAL", "IMG-FLARE-CAVEAT"],
    },
    # ------------------------------------------------------------ rules additions B, G, I, J
    {
        "id": "mscc-decision-inputs-asked-together",
        "facts": {
            "extraskeletal": {"visceral": None},
            "neurology": {
                "deficit": True,
                "suspected_cord_compression": True,
                "onset_date": "2025-06-02",
                "paraplegic": False,
                "compression_levels": 1,
            },
            "lesions": [spine(level="T9", epidural_extension=True, spinal_pain="mechanical")],
        },
        "missing": [
            "neurology.ambulatory",
            "neurology.motor_deficit_days",
            "neurology.rades_ambulatory_score",
            "extraskeletal.visceral",
            "lesions.0.escc_grade",
        ],
        "absent": ["MSCC-RADES-AMBULATORY-PROGNOSIS", "MSCC-ESCC-HIGH-GRADE"],
    },
    {
        "id": "mscc-rades-38-escc-high-grade",
        "facts": {
            "neurology": {
                "deficit": True,
                "suspected_cord_compression": True,
                "onset_date": "2025-06-02",
                "paraplegic": False,
                "compression_levels": 1,
                "ambulatory": True,
                "motor_deficit_days": 10,
                "rades_ambulatory_score": 38,
            },
            "lesions": [
                spine(level="T9", epidural_extension=True, spinal_pain="mechanical", escc_grade="2")
            ],
        },
        "present": ["MSCC-RADES-AMBULATORY-PROGNOSIS", "MSCC-ESCC-HIGH-GRADE"],
        "not_missing": [
            "neurology.ambulatory",
            "neurology.motor_deficit_days",
            "neurology.rades_ambulatory_score",
            "lesions.0.escc_grade",
        ],
    },
    {
        "id": "mscc-escc-1c-unsettled",
        "facts": {
            "neurology": {"deficit": False, "suspected_cord_compression": True, "ambulatory": True},
            "lesions": [spine(level="T9", epidural_extension=True, escc_grade="1c")],
        },
        "present": ["MSCC-ESCC-1C-UNSETTLED"],
        "absent": ["MSCC-ESCC-HIGH-GRADE", "MSCC-ESCC-LOW-GRADE"],
        "not_missing": ["neurology.motor_deficit_days"],
    },
    {
        "id": "mscc-escc-1b-stable-rt-first",
        "facts": {
            "neurology": {"deficit": False, "suspected_cord_compression": True},
            "lesions": [spine(level="T9", epidural_extension=True, escc_grade="1b")],
        },
        "present": ["MSCC-ESCC-LOW-GRADE"],
    },
    {
        "id": "mscc-escc-1b-unstable-no-rt-first",
        "facts": {
            "neurology": {"deficit": False, "suspected_cord_compression": True},
            "lesions": [
                spine(
                    level="T12",
                    lesion_type="lytic",
                    spinal_pain="mechanical",
                    alignment="subluxation",
                    collapse_percent=60,
                    posterolateral="bilateral",
                    epidural_extension=True,
                    escc_grade="1b",
                )
            ],
        },
        "sins": {"S1": [18, 18]},
        "absent": ["MSCC-ESCC-LOW-GRADE"],
    },
    {
        "id": "omd-5-metastases-discuss",
        "facts": {
            "bone_disease_extent": "oligometastatic",
            "extraskeletal": {"metastasis_count": 5, "all_sites_treatable": True},
        },
        "present": ["OMD-DISCUSS-METASTASIS-DIRECTED"],
        "absent": ["OMD-MORE-THAN-5"],
        "detail": {"OMD-DISCUSS-METASTASIS-DIRECTED": {"metastasis_count": 5}},
    },
    {
        "id": "omd-1-metastasis-discuss",
        "facts": {"extraskeletal": {"metastasis_count": 1, "all_sites_treatable": True}},
        "present": ["OMD-DISCUSS-METASTASIS-DIRECTED"],
    },
    {
        "id": "omd-6-metastases-not-oligometastatic",
        "facts": {
            "bone_disease_extent": "oligometastatic",
            "extraskeletal": {"metastasis_count": 6, "all_sites_treatable": True},
        },
        "present": ["OMD-MORE-THAN-5", "OMD-EXTENT-CONTRADICTS-COUNT"],
        "absent": ["OMD-DISCUSS-METASTASIS-DIRECTED"],
    },
    {
        "id": "omd-count-unknown-asked",
        "facts": {"bone_disease_extent": "oligometastatic"},
        "missing": ["extraskeletal.metastasis_count"],
        "absent": ["OMD-DISCUSS-METASTASIS-DIRECTED"],
    },
    {
        "id": "omd-staging-incomplete-cannot-classify",
        "facts": {"extraskeletal": {"metastasis_count": 3, "nodal": None, "brain": None}},
        "missing": [
            "extraskeletal.nodal",
            "extraskeletal.brain",
            "extraskeletal.all_sites_treatable",
        ],
        "not_missing": ["extraskeletal.visceral"],
        "absent": ["OMD-DISCUSS-METASTASIS-DIRECTED", "OMD-NOT-ALL-TREATABLE"],
    },
    {
        "id": "omd-not-all-sites-treatable",
        "facts": {"extraskeletal": {"metastasis_count": 2, "all_sites_treatable": False}},
        "present": ["OMD-NOT-ALL-TREATABLE"],
        "absent": ["OMD-DISCUSS-METASTASIS-DIRECTED"],
    },
    {
        "id": "bta-denosumab-stop-planned-rebound",
        "facts": {
            "primary": {"site": "breast", "hormone_receptor_status": "negative",
                        "her2_status": "positive"},
            "bone_targeted_agents": [
                {
                    "agent": "denosumab",
                    "dose_mg": 120,
                    "interval_weeks": 4,
                    "start": "2024-01-10",
                    "stop": "2025-07-01",
                }
            ],
        },
        "present": [
            "BTA-DENOSUMAB-STOP-VERTEBRAL-FRACTURES",
            "BTA-DENOSUMAB-STOP-NEXT-AGENT",
            "BTA-DENOSUMAB-NO-ABRUPT-STOP",
        ],
    },
    {
        "id": "bta-denosumab-running-no-stop-no-rebound-flag",
        "facts": {
            "primary": {"site": "breast", "hormone_receptor_status": "negative",
                        "her2_status": "positive"},
            "bone_targeted_agents": [
                {"agent": "denosumab", "dose_mg": 120, "interval_weeks": 4, "start": "2024-01-10"}
            ],
        },
        "present": ["BTA-DENOSUMAB-NO-ABRUPT-STOP"],
        "absent": ["BTA-DENOSUMAB-STOP-VERTEBRAL-FRACTURES", "BTA-AGENT-CHOICE-BREAST"],
    },
    {
        "id": "bta-denosumab-drafted-not-on-it-no-rebound-warning",
        "facts": {
            "primary": {"site": "breast", "hormone_receptor_status": "negative",
                        "her2_status": "positive"},
            "labs": [lab("creatinine", 3.5, "mg/dL"), CA_OK],
        },
        "present": ["BTA-DENOSUMAB-120MG", "BTA-ZOLEDRONIC-NOT-RECOMMENDED-CRCL30"],
        "absent": ["BTA-DENOSUMAB-NO-ABRUPT-STOP", "BTA-AGENT-CHOICE-BREAST"],
    },
    {
        "id": "bta-breast-agent-choice",
        "facts": {"primary": {"site": "breast", "hormone_receptor_status": "negative",
                              "her2_status": "positive"}},
        "present": ["BTA-START", "BTA-AGENT-CHOICE-BREAST"],
        "absent": ["BTA-DENOSUMAB-NO-ABRUPT-STOP"],
    },
    {
        "id": "bta-prostate-no-breast-agent-choice",
        "facts": crpc(),
        "absent": ["BTA-AGENT-CHOICE-BREAST"],
    },
    {
        "id": "rt-sbrt-cord-limits-de-novo",
        "facts": {
            "primary": {"site": "kidney"},
            "ecog": 0,
            "lesions": [spine(level="L2", spinal_pain="occasional")],
        },
        "present": ["RT-SBRT-CORD-DOSE-LIMITS", "RT-SINGLE-8GY"],
        "alternatives": {"RT-SINGLE-8GY": ["RT-SBRT-CONSIDER"]},
    },
    {
        "id": "rt-sbrt-cord-limits-reirradiation",
        "facts": {
            "primary": {"site": "kidney"},
            "ecog": 0,
            "lesions": [
                spine(
                    level="L2",
                    spinal_pain="occasional",
                    prior_rt_dose_gy=8,
                    prior_rt_fractions=1,
                    prior_rt_date="2024-11-01",
                    prior_rt_technique="conventional",
                )
            ],
        },
        "present": ["RT-SBRT-CORD-DOSE-LIMITS", "RT-CUMULATIVE-CORD-DOSE"],
    },
    {
        "id": "rt-no-sbrt-no-cord-limits",
        "facts": {"lesions": [limb(bone="humerus")]},
        "present": ["RT-SINGLE-8GY"],
        "absent": ["RT-SBRT-CORD-DOSE-LIMITS"],
    },
    {
        "id": "rt-neuropathic-20gy-5",
        "facts": {"lesions": [spine(level="T7", spinal_pain="occasional", neuropathic_pain=True)]},
        "present": ["RT-NEUROPATHIC-20GY-5"],
        "absent": ["RT-SINGLE-8GY"],
        "detail": {
            "RT-NEUROPATHIC-20GY-5": {
                "dose_gy": 20,
                "fractions": 5,
                "single_fraction_reasonable": False,
            }
        },
    },
    {
        "id": "rt-neuropathic-ecog-3-single-fraction-reasonable",
        "facts": {
            "ecog": 3,
            "lesions": [spine(level="T7", spinal_pain="occasional", neuropathic_pain=True)],
        },
        "present": ["RT-NEUROPATHIC-20GY-5"],
        "detail": {"RT-NEUROPATHIC-20GY-5": {"single_fraction_reasonable": True}},
    },
    {
        "id": "rt-neuropathic-ecog-2-not-single",
        "facts": {
            "ecog": 2,
            "lesions": [spine(level="T7", spinal_pain="occasional", neuropathic_pain=False)],
        },
        "present": ["RT-SINGLE-8GY"],
        "absent": ["RT-NEUROPATHIC-20GY-5"],
        "not_missing": ["lesions.0.neuropathic_pain"],
    },
    {
        "id": "rt-neuropathic-unknown-8gy-asks-provisional",
        "facts": {"lesions": [spine(spinal_pain="occasional", neuropathic_pain=None)]},
        "present": ["RT-SINGLE-8GY"],
        "absent": ["RT-NEUROPATHIC-20GY-5"],
        "missing": ["lesions.0.neuropathic_pain"],
        "detail": {"RT-SINGLE-8GY": {"provisional": True, "pending": ["neuropathic_pain"]}},
    },
    {
        "id": "rt-neuropathic-unknown-sbrt-asks",
        "facts": {
            "primary": {"site": "kidney", "histology": "clear cell"},
            "lesions": [spine(spinal_pain="occasional", neuropathic_pain=None)],
        },
        "present": ["RT-SINGLE-8GY"],
        "alternatives": {"RT-SINGLE-8GY": ["RT-SBRT-CONSIDER"]},
        "missing": ["lesions.0.neuropathic_pain"],
    },
    {
        "id": "rt-neuropathic-unknown-painless-not-asked",
        "facts": {"lesions": [spine(neuropathic_pain=None)]},
        "absent": ["RT-SINGLE-8GY"],
        "not_missing": ["lesions.0.neuropathic_pain"],
    },
    {
        "id": "rt-neuropathic-unknown-complicated-not-asked",
        "facts": {
            "lesions": [
                spine(spinal_pain="occasional", soft_tissue_mass=True, neuropathic_pain=None)
            ]
        },
        "present": ["RT-MULTIFRACTION-COMPLICATED"],
        "not_missing": ["lesions.0.neuropathic_pain"],
    },
]


# ------------------------------------------------------ rules additions (2026-12-02)
MSCC_SYMPTOMATIC = {
    "expected_survival": "gt12m",
    "neurology": {
        "deficit": True,
        "suspected_cord_compression": True,
        "onset_date": "2025-06-01",
        "paraplegic": False,
        "compression_levels": 1,
    },
    "lesions": [spine(level="T9", epidural_extension=True, spinal_pain="mechanical")],
}
IMAGING_ONLY = {
    "neurology": {
        "deficit": False,
        "suspected_cord_compression": False,
        "cord_compression_on_imaging": True,
    },
    "lesions": [spine(level="T7", epidural_extension=True)],
}
SINS_13 = spine(
    level="L1",
    spinal_pain="mechanical",
    lesion_type="lytic",
    alignment="de_novo_deformity",
    collapse_percent=20,
    posterolateral="unilateral",
    epidural_extension=True,
)
SINS_12 = spine(
    level="L1",
    spinal_pain="mechanical",
    lesion_type="lytic",
    alignment="de_novo_deformity",
    collapse_percent=20,
    posterolateral="none",
    epidural_extension=True,
)


def _deep(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` deep-merged onto ``base`` (as ``helpers.merge`` does onto BASE)."""
    out = dict(base)
    for k, v in over.items():
        out[k] = _deep(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


BREAST = {"primary": {"site": "breast", "hormone_receptor_status": "positive",
                      "her2_status": "negative"}}


def calcium(value: float, unit: str = "mmol/L", analyte: str = "calcium") -> list[Any]:
    return [CRE_OK, lab(analyte, value, unit)]


def isotope(agent: str, dose: str | None, planned: bool = False) -> dict[str, Any]:
    course: dict[str, Any] = {"agent": agent, "planned": planned}
    if dose is not None:
        course.update(doses_given=1, first_dose=dose, last_dose=dose)
    return {"radioisotope_courses": [course]}


ADDITIONS: list[dict[str, Any]] = [
    # --- MSCC-04 immobilisation
    {
        "id": "mscc04-instability-signs-immobilise",
        "facts": _deep(MSCC_SYMPTOMATIC, {"neurology": {"instability_signs": True}}),
        "present": [
            "MSCC-IMMOBILISE-NOW",
            "MSCC-IMMOBILISATION-TECHNIQUE",
            "MSCC-IMMOBILISATION-EVIDENCE",
        ],
        "urgency": "emergency",
        "detail": {"MSCC-IMMOBILISE-NOW": {"expert_opinion_within_hours": 24}},
    },
    {
        "id": "mscc04-sins-13-immobilise",
        "facts": _deep(MSCC_SYMPTOMATIC, {"lesions": [SINS_13]}),
        "sins": {"S1": [13, 13]},
        "present": ["MSCC-IMMOBILISE-NOW"],
        "not_missing": ["neurology.instability_signs"],
        "detail": {"MSCC-IMMOBILISE-NOW": {"lesion_ids": ["S1"]}},
    },
    {
        "id": "mscc04-sins-12-no-immobilisation",
        "facts": _deep(MSCC_SYMPTOMATIC, {"lesions": [SINS_12]}),
        "sins": {"S1": [12, 12]},
        "absent": ["MSCC-IMMOBILISE-NOW", "MSCC-IMMOBILISATION-TECHNIQUE"],
    },
    {
        "id": "mscc04-instability-unknown-asked",
        "facts": _deep(MSCC_SYMPTOMATIC, {"neurology": {"instability_signs": None}}),
        "missing": ["neurology.instability_signs"],
        "absent": ["MSCC-IMMOBILISE-NOW"],
    },
    {
        "id": "mscc04-no-mscc-not-asked",
        "facts": {"neurology": {"instability_signs": None}, "lesions": [SINS_13]},
        "not_missing": ["neurology.instability_signs"],
        "absent": ["MSCC-IMMOBILISE-NOW"],
    },
    # --- MSCC-02 correction 1 (NG234 1.8.3 / 1.8.5)
    {
        "id": "mscc02-imaging-only-myeloma-consider",
        "facts": _deep(IMAGING_ONLY, {"primary": {"site": "myeloma", "histology": "myeloma"}}),
        "present": ["MSCC-DEXAMETHASONE-CONSIDER"],
        "absent": ["MSCC-DEXAMETHASONE-NOT-ROUTINE", "MSCC-DEXAMETHASONE-16MG"],
        "detail": {"MSCC-DEXAMETHASONE-CONSIDER": {"haematology_mdt": True, "dose_mg": 16}},
    },
    {
        "id": "mscc02-imaging-only-nrs-7-consider",
        "facts": _deep(IMAGING_ONLY, {"pain": {"worst_nrs": 7}}),
        "present": ["MSCC-DEXAMETHASONE-CONSIDER"],
        "absent": ["MSCC-DEXAMETHASONE-NOT-ROUTINE"],
        "detail": {"MSCC-DEXAMETHASONE-CONSIDER": {"haematology_mdt": False}},
    },
    {
        "id": "mscc02-imaging-only-nrs-6-not-routine",
        "facts": _deep(IMAGING_ONLY, {"pain": {"worst_nrs": 6}}),
        "present": ["MSCC-DEXAMETHASONE-NOT-ROUTINE"],
        "absent": ["MSCC-DEXAMETHASONE-CONSIDER"],
    },
    {
        "id": "mscc02-lymphoma-deficit-haematology-mdt",
        "facts": _deep(MSCC_SYMPTOMATIC, {"primary": {"site": "lymphoma", "histology": "DLBCL"}}),
        "present": ["MSCC-DEXAMETHASONE-16MG"],
        "detail": {"MSCC-DEXAMETHASONE-16MG": {"haematology_mdt": True}},
    },
    # --- PAIN-04 / PAIN-05 (correction 7: moderate starts at 5)
    {
        "id": "pain-nrs-4-no-review",
        "facts": {"pain": {"worst_nrs": 4}},
        "absent": ["PAIN-ANALGESIA-REVIEW"],
    },
    {
        "id": "pain-nrs-5-review",
        "facts": {"pain": {"worst_nrs": 5}},
        "present": ["PAIN-ANALGESIA-REVIEW"],
        "quorum": ["palliative_care"],
        "urgency": "before_next_meeting",
        "detail": {
            "PAIN-ANALGESIA-REVIEW": {
                "pain_band": "moderate",
                "trigger_nrs": 5,
                "local_threshold": False,
            }
        },
    },
    {
        "id": "pain-nrs-7-moderate",
        "facts": {"pain": {"worst_nrs": 7}},
        "detail": {"PAIN-ANALGESIA-REVIEW": {"pain_band": "moderate"}},
    },
    {
        "id": "pain-nrs-8-severe",
        "facts": {"pain": {"worst_nrs": 8}},
        "detail": {"PAIN-ANALGESIA-REVIEW": {"pain_band": "severe"}},
    },
    {
        "id": "pain-local-trigger-4",
        "facts": {"pain": {"worst_nrs": 4, "analgesia_review_nrs": 4}},
        "present": ["PAIN-ANALGESIA-REVIEW"],
        "detail": {"PAIN-ANALGESIA-REVIEW": {"trigger_nrs": 4, "local_threshold": True}},
    },
    {
        "id": "pain-local-trigger-4-nrs-3-none",
        "facts": {"pain": {"worst_nrs": 3, "analgesia_review_nrs": 4}},
        "absent": ["PAIN-ANALGESIA-REVIEW"],
    },
    {
        "id": "pain-board-default-5-nrs-4-none",
        "facts": {"pain": {"worst_nrs": 4, "analgesia_review_nrs": 5}},
        "absent": ["PAIN-ANALGESIA-REVIEW"],
    },
    {
        "id": "pain-board-default-5-nrs-5-not-local",
        "facts": {"pain": {"worst_nrs": 5, "analgesia_review_nrs": 5}},
        "present": ["PAIN-ANALGESIA-REVIEW"],
        "detail": {"PAIN-ANALGESIA-REVIEW": {"trigger_nrs": 5, "local_threshold": False}},
    },
    {
        "id": "pain-local-trigger-0-nrs-0-review",
        "facts": {"pain": {"worst_nrs": 0, "analgesia_review_nrs": 0}},
        "present": ["PAIN-ANALGESIA-REVIEW"],
        "detail": {"PAIN-ANALGESIA-REVIEW": {"trigger_nrs": 0, "local_threshold": True}},
    },
    {
        "id": "pain-local-trigger-6-nrs-5-none",
        "facts": {"pain": {"worst_nrs": 5, "analgesia_review_nrs": 6}},
        "absent": ["PAIN-ANALGESIA-REVIEW"],
    },
    {
        "id": "pain-uncontrolled-nrs-unknown",
        "facts": {"pain": {"worst_nrs": None, "uncontrolled": True}},
        "present": ["PAIN-ANALGESIA-REVIEW"],
    },
    {
        "id": "pain-flare-note-with-8gy",
        "facts": {"lesions": [spine(spinal_pain="occasional")]},
        "present": ["RT-SINGLE-8GY", "PAIN-FLARE-DEXAMETHASONE"],
    },
    {
        "id": "pain-flare-note-not-without-rt",
        "facts": {"lesions": [spine()]},
        "absent": ["PAIN-FLARE-DEXAMETHASONE"],
    },
    # --- HCM-01..04 (labels' paired values; Payne 1973, correction 4)
    {
        "id": "hcm-adjusted-3.00-mmol-hcm",
        "facts": {**BREAST, "labs": calcium(3.00)},
        "present": [
            "HCM-HYPERCALCAEMIA",
            "HCM-ZOLEDRONIC-4MG",
            "BTA-SUPPLEMENTS-AFTER-HYPERCALCAEMIA",
        ],
        "absent": ["BTA-CALCIUM-VITAMIN-D", "HCM-CALCIUM-ABOVE-NORMAL"],
        "urgency": "emergency",
        "detail": {
            "HCM-HYPERCALCAEMIA": {
                "corrected_calcium": 3.0,
                "unit": "mmol/L",
                "method": "laboratory adjusted value",
                "severe": False,
            },
            "HCM-ZOLEDRONIC-4MG": {"dose_mg": 4, "doses": 1, "retreat_after_days_min": 7},
        },
    },
    {
        "id": "hcm-adjusted-2.99-mmol-above-normal",
        "facts": {**BREAST, "labs": calcium(2.99)},
        "present": ["HCM-CALCIUM-ABOVE-NORMAL", "BTA-CALCIUM-VITAMIN-D"],
        "absent": ["HCM-HYPERCALCAEMIA", "HCM-ZOLEDRONIC-4MG"],
    },
    {
        "id": "hcm-adjusted-2.5-mmol-normal",
        "facts": {**BREAST, "labs": calcium(2.5)},
        "absent": ["HCM-CALCIUM-ABOVE-NORMAL", "HCM-HYPERCALCAEMIA"],
    },
    {
        "id": "hcm-adjusted-12.0-mg-dl-hcm",
        "facts": {"labs": calcium(12.0, "mg/dL")},
        "present": ["HCM-HYPERCALCAEMIA"],
        "detail": {"HCM-HYPERCALCAEMIA": {"unit": "mg/dL", "threshold": 12.0}},
    },
    {
        "id": "hcm-adjusted-11.9-mg-dl-mild",
        "facts": {"labs": calcium(11.9, "mg/dL")},
        "present": ["HCM-CALCIUM-ABOVE-NORMAL"],
        "absent": ["HCM-HYPERCALCAEMIA"],
    },
    {
        "id": "hcm-14.0-mg-dl-not-severe",
        "facts": {"labs": calcium(14.0, "mg/dL")},
        "detail": {"HCM-HYPERCALCAEMIA": {"severe": False}},
    },
    {
        "id": "hcm-14.1-mg-dl-severe",
        "facts": {"labs": calcium(14.1, "mg/dL")},
        "detail": {"HCM-HYPERCALCAEMIA": {"severe": True}},
    },
    {
        "id": "hcm-payne-total-10.0-albumin-2.0-hcm",
        # Payne 1973: 10.0 − 2.0 + 4.0 = 12.0 mg/dL (the 0.8 variant would give 11.6).
        "facts": {
            "labs": [
                CRE_OK,
                lab("calcium_total", 10.0, "mg/dL"),
                lab("albumin", 2.0, "g/dL"),
                lab("calcium_ionised", 1.45, "mmol/L"),
            ]
        },
        "present": ["HCM-HYPERCALCAEMIA"],
        "detail": {
            "HCM-HYPERCALCAEMIA": {
                "corrected_calcium": 12.0,
                "method": "Payne 1973: calcium − albumin + 4.0 (mg/dL, g/dL)",
                "ionised": "ionised calcium 1.45 mmol/L on 2025-05-30",
            }
        },
    },
    {
        "id": "hcm-payne-total-9.9-albumin-2.0-mild",
        "facts": {"labs": [CRE_OK, lab("calcium_total", 9.9, "mg/dL"), lab("albumin", 20, "g/L")]},
        "present": ["HCM-CALCIUM-ABOVE-NORMAL"],
        "absent": ["HCM-HYPERCALCAEMIA"],
    },
    {
        "id": "hcm-payne-mmol-total-2.50-albumin-20-hcm",
        # 2.50 mmol/L = 10.02 mg/dL; − 2.0 + 4.0 = 12.02 mg/dL = 3.00 mmol/L.
        "facts": {
            "labs": [CRE_OK, lab("calcium_total", 2.50, "mmol/L"), lab("albumin", 20, "g/L")]
        },
        "present": ["HCM-HYPERCALCAEMIA"],
        "detail": {"HCM-HYPERCALCAEMIA": {"corrected_calcium": 3.0, "unit": "mmol/L"}},
    },
    {
        "id": "hcm-total-without-albumin-asks",
        "facts": {"labs": [CRE_OK, lab("calcium_total", 3.2, "mmol/L")]},
        "missing": ["labs.albumin"],
        "absent": ["HCM-HYPERCALCAEMIA"],
    },
    {
        "id": "hcm-laboratory-adjusted-value-preferred",
        "facts": {
            "labs": [
                CRE_OK,
                lab("calcium", 2.40, "mmol/L"),
                lab("calcium_total", 2.80, "mmol/L"),
                lab("albumin", 20, "g/L"),
            ]
        },
        "absent": ["HCM-HYPERCALCAEMIA", "HCM-CALCIUM-ABOVE-NORMAL"],
        "not_missing": ["labs.albumin"],
    },
    {
        "id": "hcm-payne-low-clearance-caution",
        "facts": {
            "labs": [
                lab("creatinine", 2.0, "mg/dL"),
                lab("calcium_total", 11.5, "mg/dL"),
                lab("albumin", 2.5, "g/dL"),
            ]
        },
        "present": ["HCM-HYPERCALCAEMIA", "HCM-ADJUSTED-CALCIUM-LOW-GFR"],
    },
    {
        "id": "hcm-scr-4.49-mg-dl-no-adjustment",
        "facts": {"labs": [lab("creatinine", 4.49, "mg/dL"), lab("calcium", 3.2, "mmol/L")]},
        "present": ["HCM-ZOLEDRONIC-4MG", "BTA-ZOLEDRONIC-NOT-RECOMMENDED-CRCL30"],
        "absent": ["HCM-ZOLEDRONIC-SCR-4-5"],
        "detail": {"HCM-ZOLEDRONIC-4MG": {"dose_mg": 4}},
    },
    {
        "id": "hcm-scr-4.5-mg-dl-board-decides",
        "facts": {"labs": [lab("creatinine", 4.5, "mg/dL"), lab("calcium", 3.2, "mmol/L")]},
        "present": ["HCM-HYPERCALCAEMIA", "HCM-ZOLEDRONIC-SCR-4-5"],
        "absent": ["HCM-ZOLEDRONIC-4MG"],
    },
    {
        "id": "hcm-scr-399-umol-no-adjustment",
        "facts": {"labs": [lab("creatinine", 399, "umol/L"), lab("calcium", 3.2, "mmol/L")]},
        "present": ["HCM-ZOLEDRONIC-4MG"],
        "absent": ["HCM-ZOLEDRONIC-SCR-4-5"],
    },
    {
        "id": "hcm-scr-400-umol-board-decides",
        "facts": {"labs": [lab("creatinine", 400, "umol/L"), lab("calcium", 3.2, "mmol/L")]},
        "present": ["HCM-ZOLEDRONIC-SCR-4-5"],
        "absent": ["HCM-ZOLEDRONIC-4MG"],
    },
    {
        "id": "hcm-creatinine-missing-asked",
        "facts": {"labs": [lab("calcium", 3.2, "mmol/L")]},
        "present": ["HCM-ZOLEDRONIC-4MG"],
        "missing": ["labs.creatinine"],
    },
    {
        "id": "hcm-on-zoledronic-refractory-denosumab",
        "facts": _deep(
            zol_renal(1.0, 1.0),
            {"labs": [lab("creatinine", 1.0, "mg/dL"), lab("calcium", 3.1, "mmol/L")]},
        ),
        "present": ["HCM-HYPERCALCAEMIA", "HCM-REFRACTORY-DENOSUMAB"],
    },
    # --- BTA-11 co-medication (Zometa label §5.1, 5.3, 7.1–7.4)
    {
        "id": "bta11-comedication-unknown-asked",
        "facts": {
            **BREAST,
            "co_medication": {
                "aminoglycoside": None,
                "loop_diuretic": None,
                "other_nephrotoxic": None,
            },
        },
        "missing": [
            "co_medication.aminoglycoside",
            "co_medication.loop_diuretic",
            "co_medication.other_nephrotoxic",
        ],
    },
    {
        "id": "bta11-loop-diuretic-caution",
        "facts": {**BREAST, "co_medication": {"loop_diuretic": True}},
        "present": ["BTA-ZOLEDRONIC-NEPHROTOXIC-COMEDICATION"],
    },
    {
        "id": "bta11-nsaid-caution",
        "facts": {**BREAST, "co_medication": {"nsaid": True}},
        "present": ["BTA-ZOLEDRONIC-NEPHROTOXIC-COMEDICATION"],
    },
    {
        "id": "bta11-none-no-caution",
        "facts": {**BREAST, "co_medication": {"nsaid": False}},
        "absent": ["BTA-ZOLEDRONIC-NEPHROTOXIC-COMEDICATION"],
        "not_missing": ["co_medication.loop_diuretic"],
    },
    {
        "id": "bta11-not-asked-when-zoledronic-not-in-play",
        "facts": {
            **BREAST,
            "patient": {"sex": "female", "age_years": 85, "weight_kg": 45.0, "weight_date": RECENT},
            "labs": [lab("creatinine", 2.0, "mg/dL"), CA_OK],
            "co_medication": {"aminoglycoside": None, "loop_diuretic": True},
        },
        "present": ["BTA-ZOLEDRONIC-NOT-RECOMMENDED-CRCL30", "BTA-DENOSUMAB-120MG"],
        "absent": ["BTA-ZOLEDRONIC-NEPHROTOXIC-COMEDICATION"],
        "not_missing": ["co_medication.aminoglycoside"],
    },
    {
        "id": "bta11-thalidomide-myeloma",
        "facts": _deep(
            zol_renal(1.0, 1.0),
            {
                "primary": {"site": "myeloma", "histology": "myeloma",
                            "hormone_receptor_status": None, "her2_status": None},
                "systemic_therapies": [
                    {"kind": "other", "name": "Thalidomide", "start": "2025-03-01"}
                ],
            },
        ),
        "present": ["BTA-ZOLEDRONIC-NEPHROTOXIC-COMEDICATION"],
    },
    {
        "id": "bta11-other-bisphosphonate",
        "facts": _deep(
            zol_renal(1.0, 1.0),
            {
                "bone_targeted_agents": [
                    {"agent": "zoledronic_acid", "dose_mg": 4.0, "start": "2025-01-06"},
                    {"agent": "pamidronate", "dose_mg": 90.0, "start": "2025-05-01"},
                ]
            },
        ),
        "present": ["BTA-ZOLEDRONIC-OTHER-BISPHOSPHONATE"],
    },
    {
        "id": "bta11-creatinine-rise-renal-review",
        "facts": _deep(zol_renal(1.0, 1.5), {"co_medication": {"loop_diuretic": True}}),
        "present": ["BTA-ZOLEDRONIC-WITHHOLD", "BTA-ZOLEDRONIC-RENAL-REVIEW"],
        "detail": {"BTA-ZOLEDRONIC-RENAL-REVIEW": {"co_medication": ["a loop diuretic"]}},
    },
    {
        "id": "bta11-no-rise-no-review",
        "facts": zol_renal(1.0, 1.49),
        "absent": ["BTA-ZOLEDRONIC-RENAL-REVIEW"],
    },
    # --- RAD-05 caution levels (correction 8)
    {
        "id": "srsm-platelets-60-wbc-2.4-not-caution",
        "facts": crpc(
            labs=[
                CRE_OK,
                CA_OK,
                lab("anc", 2.0, "10^9/L"),
                lab("platelets", 60, "10^9/L"),
                lab("haemoglobin", 11.0, "g/dL"),
                lab("wbc", 2.4, "10^9/L"),
            ]
        ),
        "present": ["RADIONUCLIDE-SR89-SM153"],
        "absent": ["SRSM-EXCL-PLATELETS", "SRSM-EXCL-WBC"],
    },
    # --- RAD-06 / RAD-07 blood-count follow-up
    {
        "id": "rad06-sr89-given-8-weeks-ago",
        "facts": isotope("strontium_89", "2025-04-01"),
        "present": ["SR89-FBC-EVERY-2-WEEKS", "RA223-EXCL-NON-PROSTATE"],
        "detail": {
            "SR89-FBC-EVERY-2-WEEKS": {
                "interval_weeks": 2,
                "until_week": 26,
                "next_due_date": "2025-06-10",
            }
        },
    },
    {
        "id": "rad06-sr89-exactly-26-weeks",
        "facts": isotope("strontium_89", "2024-12-02"),
        "present": ["SR89-FBC-EVERY-2-WEEKS"],
        "detail": {"SR89-FBC-EVERY-2-WEEKS": {"next_due_date": "2025-06-02"}},
    },
    {
        "id": "rad06-sr89-27-weeks-done",
        "facts": isotope("strontium_89", "2024-11-25"),
        "absent": ["SR89-FBC-EVERY-2-WEEKS"],
    },
    {
        "id": "rad06-sr89-planned",
        "facts": isotope("strontium_89", None, planned=True),
        "present": ["SR89-FBC-EVERY-2-WEEKS"],
        "detail": {"SR89-FBC-EVERY-2-WEEKS": {"dose_date": None, "next_due_date": None}},
    },
    {
        "id": "rad07-sm153-given-a-month-ago",
        "facts": isotope("samarium_153", "2025-05-01"),
        "present": ["SM153-FBC-WEEKLY-TO-WEEK-8"],
        "absent": ["SR89-FBC-EVERY-2-WEEKS"],
        "detail": {
            "SM153-FBC-WEEKLY-TO-WEEK-8": {"interval_weeks": 1, "next_due_date": "2025-06-05"}
        },
    },
    {
        "id": "rad07-sm153-exactly-8-weeks",
        "facts": isotope("samarium_153", "2025-04-07"),
        "present": ["SM153-FBC-WEEKLY-TO-WEEK-8"],
        "detail": {"SM153-FBC-WEEKLY-TO-WEEK-8": {"next_due_date": "2025-06-02"}},
    },
    {
        "id": "rad07-sm153-9-weeks-done",
        "facts": isotope("samarium_153", "2025-03-31"),
        "absent": ["SM153-FBC-WEEKLY-TO-WEEK-8"],
    },
    # --- RAD-08 / RAD-10 / RAD-11 radium-223 details
    {
        "id": "rad08-radium-with-recent-sr89-excluded",
        "facts": crpc(**isotope("strontium_89", "2025-03-01")),
        "present": ["RA223-EXCL-OTHER-RADIOISOTOPE", "SR89-FBC-EVERY-2-WEEKS"],
        "absent": ["RA223-ELIGIBLE", "RA223-55KBQ-Q4W-X6", "RA223-PRIOR-RADIOISOTOPE"],
    },
    {
        "id": "rad05-no-repeat-and-no-radium-counts-4-weeks-after-sr89",
        # Sr-89 given 4 weeks ago: not drafted again (no repeat within 90 days, RAD-06), and
        # radium-223, excluded while the marrow recovers (RAD-08), asks for no counts.
        "facts": crpc(labs=[CRE_OK, CA_OK], **isotope("strontium_89", "2025-05-05")),
        "present": ["SR89-FBC-EVERY-2-WEEKS", "RA223-EXCL-OTHER-RADIOISOTOPE"],
        "absent": ["RADIONUCLIDE-SR89-SM153"],
        "not_missing": ["labs.anc", "labs.haemoglobin"],
    },
    {
        "id": "ra223-castration-sensitive-asks-no-counts",
        # Excluded by castration status (RAD-01): its dose counts are not asked for.
        "facts": crpc(
            primary={"site": "prostate", "castration_status": "sensitive"}, labs=[CRE_OK, CA_OK]
        ),
        # (Platelets are still asked for: Sr-89/Sm-153 remain an option, RAD-05.)
        "present": ["RA223-EXCL-CASTRATION-SENSITIVE"],
        "not_missing": ["labs.anc", "labs.haemoglobin"],
    },
    {
        "id": "rad08-radium-sr89-182-days-excluded",
        "facts": crpc(**isotope("strontium_89", "2024-12-02")),
        "present": ["RA223-EXCL-OTHER-RADIOISOTOPE"],
    },
    {
        "id": "rad08-radium-sr89-183-days-caution",
        "facts": crpc(**isotope("strontium_89", "2024-12-01")),
        "present": ["RA223-PRIOR-RADIOISOTOPE", "RA223-ELIGIBLE"],
        "absent": ["RA223-EXCL-OTHER-RADIOISOTOPE", "SR89-FBC-EVERY-2-WEEKS"],
    },
    {
        "id": "rad08-radium-sm153-planned-excluded",
        "facts": crpc(**isotope("samarium_153", None, planned=True)),
        "present": ["RA223-EXCL-OTHER-RADIOISOTOPE", "SM153-FBC-WEEKLY-TO-WEEK-8"],
        "absent": ["RA223-ELIGIBLE"],
    },
    {
        "id": "rad08-radium-nodal-disease",
        "facts": crpc(extraskeletal={"visceral": False, "brain": False, "nodal": True}),
        "present": ["RA223-NODES-UNDER-3CM", "RA223-ELIGIBLE"],
        "missing": ["extraskeletal.nodal_short_axis_cm"],
    },
    {
        "id": "rad08-radium-node-2.9cm-no-caution",
        "facts": crpc(extraskeletal={"nodal": True, "nodal_short_axis_cm": 2.9}),
        "present": ["RA223-ELIGIBLE"],
        "absent": ["RA223-NODES-UNDER-3CM"],
        "not_missing": ["extraskeletal.nodal_short_axis_cm"],
    },
    {
        "id": "rad08-radium-node-3.0cm-caution",
        "facts": crpc(extraskeletal={"nodal": True, "nodal_short_axis_cm": 3.0}),
        "present": ["RA223-NODES-UNDER-3CM", "RA223-ELIGIBLE"],
        "not_missing": ["extraskeletal.nodal_short_axis_cm"],
    },
    {
        "id": "rad08-radium-no-nodes-size-not-asked",
        "facts": crpc(extraskeletal={"nodal": False}),
        "absent": ["RA223-NODES-UNDER-3CM"],
        "not_missing": ["extraskeletal.nodal_short_axis_cm"],
    },
    {
        "id": "rad10-radium-with-enzalutamide",
        "facts": crpc(systemic_therapies=[{"kind": "enzalutamide", "start": "2025-04-01"}]),
        "present": ["RA223-WITH-ENZALUTAMIDE"],
    },
    {
        "id": "rad10-radium-with-darolutamide",
        "facts": crpc(
            systemic_therapies=[{"kind": "other", "name": "darolutamide", "start": "2025-04-01"}]
        ),
        "present": ["RA223-WITH-OTHER-ARPI"],
        "absent": ["RA223-WITH-ENZALUTAMIDE"],
    },
    {
        "id": "rad10-radium-with-apalutamide-typed",
        "facts": crpc(systemic_therapies=[{"kind": "apalutamide", "start": "2025-04-01"}]),
        "present": ["RA223-WITH-OTHER-ARPI"],
        "absent": ["RA223-WITH-ENZALUTAMIDE", "RA223-EXCL-ABIRATERONE-PREDNISONE"],
    },
    {
        "id": "rad10-radium-with-darolutamide-typed-planned",
        "facts": crpc(systemic_therapies=[{"kind": "darolutamide", "planned": True}]),
        "present": ["RA223-WITH-OTHER-ARPI"],
    },
    {
        "id": "rad10-radium-darolutamide-stopped-no-note",
        "facts": crpc(
            systemic_therapies=[
                {"kind": "darolutamide", "start": "2024-01-01", "stop": "2025-01-01"}
            ]
        ),
        "absent": ["RA223-WITH-OTHER-ARPI"],
    },
    {
        "id": "rad11-radium-running-no-bta",
        # Castration status missing from the record: BTA-01 asks and drafts nothing, but a
        # radium-223 course is under way.
        "facts": crpc(
            primary={"site": "prostate", "prior_mcrpc_lines": 2},
            radioisotope_courses=[
                {
                    "agent": "radium_223",
                    "doses_given": 2,
                    "first_dose": "2025-04-07",
                    "last_dose": "2025-05-05",
                }
            ],
        ),
        "present": ["RA223-BONE-PROTECTION"],
        "absent": ["BTA-START"],
    },
    {
        "id": "rad11-not-with-bta-drafted",
        "facts": crpc(),
        "present": ["BTA-START"],
        "absent": ["RA223-BONE-PROTECTION"],
    },
]
VECTORS += ADDITIONS
