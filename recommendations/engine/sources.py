"""Primary references and source-document statements, cited by rule metadata.

Evidence tags follow ``shared/clinical/rules-reference.md``: [V] verified in the primary
text, [S] secondary summary only (``Source.secondary``), [U] unverified (board notes).
"""

from __future__ import annotations

from dataclasses import dataclass

from .common import Evidence, Source

V, S, U = Evidence.VERIFIED, Evidence.SECONDARY, Evidence.UNVERIFIED

DOC_SINS = (
    "For spinal lesions, SINS classifies lesions as stable (≤6), potentially unstable (7-12), or "
    "unstable (≥13)."
)
DOC_MIRELS = (
    "For long bones, the Mirels' score helps assess fracture risk, with scores ≥9 indicating high"
    " risk."
)
DOC_CT = (
    "Initial evaluation should include CT scan as first-line investigation, with MRI indicated "
    "for suspected neurological complications such as spinal cord compression."
)
DOC_TRIAD = (
    "Assessment should focus on three key aspects: pain severity, neurological risk, and bone "
    "instability."
)
DOC_MDT = (
    "Treatment decisions should be made by a multidisciplinary team including medical and "
    "radiation oncologists, orthopedic surgeons, radiologists, nuclear medicine physicians, and "
    "palliative care specialists."
)
DOC_RT_8GY = (
    "Single-fraction radiotherapy (8 Gy) is strongly favored over multiple fractions for "
    "uncomplicated bone metastases."
)
DOC_RT_RESPONSE = (
    "Response rates around 85% and complete pain relief in approximately 50% of patients; more "
    "than 50% of responders benefit within 1–2 weeks."
)
DOC_SBRT = (
    "For patients with radioresistant tumors or those requiring re-treatment, SBRT may be "
    "considered."
)
DOC_BTA = (
    "Bisphosphonates (particularly zoledronic acid) and denosumab are essential for preventing "
    "skeletal-related events."
)
DOC_ZOL = (
    "Zoledronic acid should be administered as a 4 mg IV infusion over at least 15 minutes to "
    "avoid renal toxicity; patients must be adequately hydrated; renal function should be "
    "monitored."
)
DOC_APR = (
    "Common side effects include acute phase reactions (fever, bone pain, fatigue) within three "
    "days of administration, hypocalcemia, and rarely osteonecrosis of the jaw."
)
DOC_ONJ = (
    "Osteonecrosis of the jaw is a rare but serious complication, particularly with chemotherapy "
    "and corticosteroids; good oral hygiene and dental examinations prior to starting "
    "bisphosphonate treatment."
)
DOC_AFF = "Atypical femoral fractures have been reported with long-term bisphosphonate use."
DOC_RENAL = (
    "Renal function should be monitored as zoledronic acid is primarily excreted via the kidney "
    "and can cause renal deterioration, especially with pre-existing renal insufficiency."
)
DOC_RA223 = (
    "Radium-223 has shown significant improvement in overall survival (3.6 months) in "
    "castrate-resistant prostate cancer patients with bone metastases."
)
DOC_SRSM = (
    "For widespread osteoblastic metastases, particularly in prostate and breast cancers, "
    "89strontium and 153samarium can provide useful pain palliation."
)
DOC_SURG = (
    "Surgical intervention is indicated for pathological fractures or impending fractures in "
    "weight-bearing bones, spinal instability (SINS ≥13), and spinal cord compression with "
    "neurological deficits; prophylactic stabilization is preferred over fixation after fracture."
)
DOC_VP = (
    "For vertebral lesions, kyphoplasty or vertebroplasty can provide rapid pain relief (within "
    "24-48 hours)."
)
DOC_SYS = (
    "Systemic therapy depends on the primary tumor type and should be integrated with local "
    "treatments."
)
DOC_SYS_BONE = (
    "Chemotherapy and hormone therapy can cause bone damage through direct and indirect "
    "mechanisms, including loss of ovarian function and myelosuppression."
)
DOC_EGFR = (
    "Some targeted therapies (like EGFR inhibitors) may modulate osteoblast activity in certain "
    "cancers."
)
DOC_DELAY = "Delayed referral to specialized centers can negatively impact outcomes."
DOC_MARKERS = (
    "Regular monitoring of bone-specific markers (alkaline phosphatase, N-terminal telopeptide) "
    "may help assess treatment response."
)
DOC_FLARE = (
    "Imaging follow-up should be tailored to symptoms, with consideration that healing bone "
    "metastases may show increased uptake on bone scans (flare phenomenon)."
)

SINS = Source("Fisher CG et al. Spine 2010;35:E1221 (SINS)", DOC_SINS, V)
SINS_CONSULT = Source(
    "Fourney DR et al. J Clin Oncol 2011;29:3072 (SINS ≥ 7: surgical consultation)",
    DOC_SINS,
    V,
)
MIRELS = Source("Mirels H. Clin Orthop 1989;249:256", DOC_MIRELS, V)
MIRELS_RISK = Source("Mirels fracture-risk percentages (15 % at 8, ≥ 33 % at ≥ 9)", DOC_MIRELS, S)
CG = Source("Cockcroft DW, Gault MH. Nephron 1976;16:31 (actual body weight)", None, V)
NICE_MRI = Source("NICE QS56 (MSCC: whole-spine MRI within 24 h)", DOC_CT, V)
NICE_MRI_S = Source("NICE NG234 (spine: whole-spine MRI)", DOC_CT, S)
NICE_DEXA = Source("NICE NG234 (dexamethasone 16 mg in MSCC)", None, S)
PATCHELL = Source("Patchell RA et al. Lancet 2005;366:643", DOC_SURG, V)
ESMO_RT = Source(
    "ESMO bone health guideline 2020 [I,A]; ASTRO 2017 and 2024 palliative RT guidelines",
    DOC_RT_8GY,
    V,
)
ESMO_COMPLICATED = Source(
    "ESMO bone health guideline 2020 (complicated bone metastases: multi-fraction RT)",
    None,
    S,
)
ASTRO_POSTOP = Source("ASTRO 2017/2024 (post-operative RT, multi-fraction)", None, V)
ASTRO_MSCC = Source(
    "ASTRO 2024 (MSCC without surgery: 8/1, 16/2, 20/5, 30/10 with dexamethasone)",
    None,
    V,
)
ASTRO_SBRT = Source(
    (
        "ASTRO 2024 (SBRT: good performance status, no surgery or neurological signs); SC.24, "
        "Sahgal Lancet Oncol 2021 (24 Gy/2 vs 20 Gy/5: CR 35 % vs 14 % at 3 months)"
    ),
    DOC_SBRT,
    V,
)
ASTRO_RERT = Source(
    (
        "ASTRO 2024 (re-irradiation: spine 8/1, 20/5, 24/6, 20/8; SBRT re-irradiation ≥ 5 months "
        "after conventional RT)"
    ),
    DOC_SBRT,
    V,
)
RT_RESPONSE = Source(
    (
        "Chow E et al. meta-analyses of palliative RT (overall response ~60–70 %, complete ~25–35"
        " %; median time to response 4 weeks)"
    ),
    DOC_RT_RESPONSE,
    V,
)
ESMO_BTA = Source(
    (
        "ESMO bone health guideline 2020 (BTA: breast, CRPC [I,A]; other solid tumours with life "
        "expectancy ≥ 3 months [I,B])"
    ),
    DOC_BTA,
    S,
)
ASCO_CSPC = Source(
    (
        "ASCO–CCO 2020 bone-modifying agents in prostate cancer (no SRE benefit in "
        "castration-sensitive disease)"
    ),
    None,
    V,
)
ZOMETA = Source(
    (
        "Zometa (zoledronic acid) label: dose by baseline CrCl, withhold/resume rule, 15-min "
        "infusion, calcium 500 mg + vitamin D 400 IU"
    ),
    DOC_ZOL,
    V,
)
ZOL_INTERVAL = Source(
    "CALGB 70604 (Himelstein JAMA 2017), OPTIMIZE-2, ZOOM: 12-weekly zoledronic acid non-inferior",
    DOC_ZOL,
    V,
)
XGEVA = Source(
    (
        "Xgeva (denosumab 120 mg) label: every 4 weeks, no renal adjustment, hypocalcaemia "
        "correction and monitoring, rebound after stopping"
    ),
    DOC_BTA,
    V,
)
ONJ = Source(
    "Zometa and Xgeva labels; AAOMS 2022 position paper (ONJ prevention and risk factors)",
    DOC_ONJ,
    V,
)
ONJ_S = Source(
    "ONJ risk-factor summaries (chemotherapy, corticosteroids, anti-angiogenics, long exposure)",
    DOC_ONJ,
    S,
)
AFF = Source(
    "Bisphosphonate/denosumab labels, ASBMR task force (atypical femoral fracture)",
    DOC_AFF,
    S,
)
APR = Source("Source document only (timing of the acute-phase reaction unverified)", DOC_APR, U)
RA223_US = Source(
    "Xofigo US label; ALSYMPCA, Parker NEJM 2013 (OS 14.9 vs 11.3 months)",
    DOC_RA223,
    V,
)
RA223_EU = Source(
    (
        "EMA 2018 Xofigo restriction (after ≥ 2 prior mCRPC lines or no other suitable treatment;"
        " not with few osteoblastic metastases)"
    ),
    DOC_RA223,
    V,
)
RA223_ERA = Source(
    (
        "ERA 223, Smith Lancet Oncol 2019 (radium-223 + abiraterone/prednisone: more fractures "
        "and deaths); Xofigo label"
    ),
    None,
    V,
)
RA223_COUNTS = Source("Xofigo label: haematological criteria before each dose", None, V)
SRSM = Source(
    "Metastron (Sr-89) and Quadramet (Sm-153) labels; EANM guideline on bone pain palliation",
    DOC_SRSM,
    V,
)
SRSM_COUNTS = Source(
    "Sr-89/Sm-153 count floors (platelets > 60, WBC > 2.4 ×10⁹/L) from secondary summaries",
    DOC_SRSM,
    S,
)
ESMO_SURG = Source(
    (
        "ESMO bone health guideline 2020: prophylactic fixation preferred [III,B]; fixation then "
        "post-operative RT"
    ),
    DOC_SURG,
    V,
)
CAFE = Source(
    "CAFE trial, Berenson Lancet Oncol 2011 (kyphoplasty: disability improved at 1 month)",
    DOC_VP,
    V,
)
VP_TIMING = Source("Source document only (relief within 24–48 h unverified)", DOC_VP, U)
SURG_FITNESS = Source(
    "Rules reference §6: surgery needs expected survival ≥ 3 months and fitness for anaesthesia",
    DOC_SURG,
    V,
)
SYS = Source("Source document statement (no primary reference in the rules reference)", DOC_SYS, S)
SYS_BONE = Source("Source document statement (unverified)", DOC_SYS_BONE, U)
EGFR = Source("Source document statement (unverified)", DOC_EGFR, U)
DELAY = Source("Source document; NICE QS56 (MSCC imaging within 24 h)", DOC_DELAY, V)
FLARE = Source("PCWG3, Scher JCO 2016 (bone-scan flare, '2+2' rule)", DOC_FLARE, S)
MARKERS = Source(
    "ESMO bone health guideline 2020 (bone turnover markers not for routine follow-up)",
    DOC_MARKERS,
    S,
)
IMAGING_FU = Source(
    "Rules reference §9 (imaging re-assessment as the board sets, e.g. 3 months)",
    DOC_FLARE,
    V,
)
CT_LONG = Source(
    "Rules reference §7 IMG-01 (long bones: radiographs of the whole bone plus CT)",
    DOC_CT,
    V,
)
CONSISTENCY = Source(
    "Boardsite data-quality rule (one site, one set of facts): contradictory lesion facts "
    "are returned to the coordinator",
    None,
    V,
)
MDT = Source(
    "Source document MDT composition; case-feature mapping is Boardsite's (rules reference §8)",
    DOC_MDT,
    V,
)

# Rules additions (2026-12-02) B, G, I, J. Tags as in the additions file.
RADES_AMBULATORY = Source(
    "Rades D et al. Int J Radiat Oncol Biol Phys 2008;72:905 (score 21–44 for ambulatory status "
    "after RT in MSCC; 2096 patients; validated in 653)",
    None,
    V,
)
BILSKY = Source(
    "Bilsky MH et al. J Neurosurg Spine 2010;13:324 (ESCC scale, T2 axial MRI); grades and "
    "their use (0–1b RT first, 2–3 decompression first) from Radiopaedia / UpToDate summaries",
    None,
    S,
)
MSCC_INPUTS = Source(
    "Patchell RA et al. Lancet 2005;366:643 and Rades D et al. 2008: the inputs of the "
    "surgery-versus-RT decision (ambulation, pace of the motor deficit, visceral metastases)",
    DOC_SURG,
    V,
)
OMD_ESTRO_ASTRO = Source(
    "Lievens Y et al. Radiother Oncol 2020;148:157 (ESTRO–ASTRO consensus: OMD = 1–5 "
    "metastatic lesions, all safely treatable; primary control optional)",
    None,
    V,
)
OMD_ESTRO_EORTC = Source(
    "Guckenberger M et al. Lancet Oncol 2020;21:e18 (ESTRO–EORTC characterisation and "
    "classification of oligometastatic disease)",
    None,
    V,
)
SABR_COMET = Source(
    "Palma DA et al. Lancet 2019;393:2051 and J Clin Oncol 2020;38:2830 (SABR-COMET: 1–5 "
    "metastases, ECOG 0–1, life expectancy ≥ 6 months; 5-year OS 42.3 % vs 17.7 %)",
    None,
    V,
)
DMAB_STOP = Source(
    "Xgeva DHPC (NPRA Malaysia, 8 Sep 2017): multiple vertebral fractures after stopping "
    "denosumab; assess the vertebral-fracture risk when stopping",
    None,
    V,
)
DMAB_STOP_NEXT = Source(
    "No oncology guidance found; osteoporosis only: ECTS working group, J Clin Endocrinol "
    "Metab 2021;106:264 (another antiresorptive 6 months after the last 60 mg dose)",
    None,
    U,
)
DMAB_VS_ZOL_BREAST = Source(
    "Denosumab vs zoledronic acid in breast cancer, secondary analysis of the phase 3 trial, "
    "Clin Cancer Res 2012;18:4841 (on-study SRE 31 % vs 36 %; first radiation to bone HR 0.74)",
    DOC_BTA,
    V,
)
HYTEC_CORD = Source(
    "HyTEC, Sahgal A et al. Int J Radiat Oncol Biol Phys (doi 10.1016/j.ijrobp.2019.09.038); "
    "Sahgal A et al. Int J Radiat Oncol Biol Phys 2013;85:341 (spinal cord / thecal sac Pmax "
    "for spine SBRT, de novo and re-irradiation)",
    None,
    V,
)
TROG_9605 = Source(
    "TROG 96.05, Roos DE et al. Radiother Oncol 2005;75:54 (neuropathic bone pain: 8 Gy/1 vs "
    "20 Gy/5, 272 patients)",
    None,
    V,
)
TROG_9605_RESULTS = Source(
    "Roos DE, Ann Palliat Med 2015 (TROG 96.05 results: response 53 % vs 61 %; 8 Gy/1 not "
    "proven as effective; single fraction reasonable with poor PS or short survival)",
    None,
    S,
)
SC20 = Source(
    "NCIC CTG SC.20 / TROG 03.08, Chow E et al. Lancet Oncol 2014;15:164 (re-irradiation of "
    "painful bone metastases: 8 Gy/1 vs 20 Gy in multiple fractions)",
    None,
    V,
)


@dataclass(frozen=True, slots=True)
class Conflict:
    """A disagreement between the source document and a primary source."""

    number: int
    topic: str
    document_says: str
    primary_says: str
    engine_follows: str
    rule_ids: tuple[str, ...]


CONFLICTS: tuple[Conflict, ...] = (
    Conflict(
        1,
        "Radiotherapy response",
        "~85 % respond, ~50 % complete relief",
        "cohorts and meta-analyses: ~60–70 % overall, ~25–35 % complete",
        "quotes the primary figures and mentions the document's",
        ("RT-01",),
    ),
    Conflict(
        2,
        "SBRT selection",
        "radioresistant tumours or re-treatment",
        "ASTRO 2024: good performance status, no surgery needed, no neurological signs",
        "requires the ASTRO conditions and one of radioresistant histology, oligometastatic "
        "disease or re-irradiation; the rationale says which set each criterion came from",
        ("RT-04",),
    ),
    Conflict(
        3,
        "SINS 7–12",
        "names surgery only at SINS ≥ 13",
        "SINS authors (Fourney 2011): surgical consultation from 7",
        "surgical consultation from 7; stabilisation from 13",
        ("SURG-02",),
    ),
    Conflict(
        4,
        "First-line imaging",
        "CT first line",
        "NICE: whole-spine MRI for the spine and suspected cord compression",
        "CT first line, whole-spine MRI for spinal lesions and suspected compression",
        ("IMG-01", "MSCC-01"),
    ),
    Conflict(
        5,
        "Bone turnover markers",
        "suggested for follow-up",
        "ESMO 2020: not for routine follow-up",
        "offered as optional, never required",
        ("IMG-03",),
    ),
    Conflict(
        6,
        "Kyphoplasty pain relief",
        "relief within 24–48 h",
        "CAFE measured benefit at 1 month; 24–48 h unverified",
        "cites CAFE at 1 month; the 24–48 h claim is only a board note",
        ("SURG-04",),
    ),
    Conflict(
        7,
        "Zoledronic acid renal dosing",
        "absent (only '4 mg over ≥ 15 minutes')",
        "Zometa label: dose by baseline CrCl, withhold/resume rule",
        "applies the label's table and withhold/resume rule",
        ("BTA-03", "BTA-04", "BTA-07"),
    ),
)
