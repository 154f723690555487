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
# ------------------------------------------------------------ rules-additions.md (2026-12-02)
NICE_IMMOBILISE = Source(
    "Hawkins JE, Dworzynski K, Haden N. BMJ 2023;383:p1973 (official summary of NICE NG234: "
    "immobilise without delay in suspected MSCC with signs of spinal instability, expert advice "
    "within 24 h, keep immobilisation short)",
    None,
    V,
)
IMMOBILISE_TECHNIQUE = Source(
    "The Christie NHS FT MSCC pathway 2023; Royal Marsden Manual ch. 7 (flat and log-rolled "
    "until stability is confirmed; collar for cervical, brace for thoracolumbar instability; "
    "physiotherapy within 24 h, occupational therapy within 48 h)",
    None,
    S,
)
IMMOBILISE_EVIDENCE = Source(
    "NICE 2019 surveillance of CG75: the Cochrane review (Lee 2015, CD007609.pub3) found no "
    "studies of positioning or bracing",
    None,
    V,
)
NG234_IMMOBILISE_WORDING = Source(
    "NICE NG234 recommendation numbers and technique wording for immobilisation (not read)",
    None,
    U,
)
NICE_DEXA_HAEM = Source(
    "NICE NG234 1.8.3 and 1.8.5 as quoted by iatroX (without neurological signs: consider "
    "steroids if pain is severe or the malignancy haematological; haematological: 16 mg, then "
    "discuss further steroids with the haematology MDT)",
    None,
    S,
)
PAIN_NRS = Source(
    "Serlin RC et al. Pain 1995;61:277 (1–4 mild, 5–6 moderate, 7–10 severe); Paul SM et al. "
    "Pain 2005;113:37; Woo A et al. Ann Palliat Med 2015; J Palliat Med 2006;9:850 (bone "
    "metastases: ≤ 4 mild, 5–7 moderate, ≥ 8 severe)",
    DOC_TRIAD,
    V,
)
MSCC_ANALGESIA = Source(
    "BMJ 2023;383:p1973 (NICE NG234 summary: adequate pain relief promptly and an "
    "individualised pain assessment)",
    None,
    V,
)
WHO_PAIN = Source(
    "WHO 2018 cancer pain guidelines (ISBN 978-92-4-155039-0) via Pallipedia/Medscape: NSAIDs, "
    "paracetamol and opioids alone or combined by severity; single-dose RT for painful bone "
    "metastases",
    None,
    S,
)
ESMO_PAIN = Source(
    "Fallon M et al. ESMO cancer pain guideline, Ann Oncol 2018;29(Suppl 4):iv166 (citation)",
    None,
    V,
)
FLARE_DEXA_SC23 = Source(
    "CCTG SC.23, Chow Lancet Oncol 2015 (dexamethasone 8 mg with 8 Gy/1: flare 26 % vs 35 %)",
    None,
    S,
)
FLARE_DEXA_TRIAL = Source(
    "DEXA trial, Westhoff/van der Linden IJROBP 2020 (insufficient evidence that dexamethasone "
    "reduced flare incidence)",
    None,
    V,
)
FLARE_SBRT = Source(
    "Spine SBRT trials, secondary analysis, IJROBP 2014;90:870 (flare in 23 %, median day 5)",
    None,
    V,
)
ZOMETA_COMEDICATION = Source(
    "Zometa US label §5.1, §5.3, §7.1–7.4 (label text, mirror): other nephrotoxic drugs, "
    "aminoglycosides, loop diuretics, thalidomide in myeloma; no other bisphosphonate",
    DOC_RENAL,
    V,
)
MHRA_ZOLEDRONIC = Source(
    "MHRA Drug Safety Update, IV zoledronic acid and renal function (renal function before "
    "each dose, adequate hydration)",
    DOC_RENAL,
    V,
)
NSAID_INTERPRETATION = Source(
    "NSAIDs are not named in the Zometa label text read; listed as a potentially nephrotoxic "
    "drug by the project's interpretation",
    None,
    U,
)
HCM_ZOMETA = Source(
    "Zometa US label §14.1 and dosing (label text, mirror): HCM = corrected calcium ≥ 12.0 "
    "mg/dL (3.00 mmol/L); complete response ≤ 10.8 mg/dL (2.70 mmol/L) by day 10; 4 mg over "
    "≥ 15 min, no dose adjustment while SCr < 4.5 mg/dL (400 µmol/L); retreat after ≥ 7 days",
    None,
    V,
)
HCM_RANGES = Source(
    "Rosner, CJASN 2012 (upper limit of normal 10.5 mg/dL, 2.5 mmol/L); Endocrine Society "
    "2023 via Medscape (severe > 14 mg/dL)",
    None,
    S,
)
HCM_ENDOCRINE = Source(
    "El-Hajj Fuleihan G et al. JCEM 2023;108:507 (Endocrine Society HCM guideline): denosumab "
    "or an IV bisphosphonate; severe HCM: calcitonin plus either to start",
    None,
    V,
)
HCM_XGEVA = Source(
    "Xgeva US label §1.3/§2.4 (label text, mirror): HCM refractory to bisphosphonate → 120 mg "
    "every 4 weeks plus 120 mg on days 8 and 15",
    None,
    V,
)
PAYNE = Source(
    "Payne RB et al. BMJ 1973;4:643 (adjusted calcium = calcium − albumin + 4.0, in mg/100 mL "
    "and g/100 mL); Lian & Åsberg BMJ Open 2018 (adjustment of questionable accuracy; total "
    "calcium did better when eGFR < 60)",
    None,
    V,
)
SR89_LABEL = Source(
    "Metastron (Sr-89) US label (label text, mirror): counts at least every other week; "
    "platelet nadir 12–16 weeks, recovery by about 6 months; review the response before a "
    "repeat dose",
    DOC_SRSM,
    V,
)
SR89_MONOGRAPH = Source(
    "Sr-89 monographs (Medscape): no repeat within 90 days; pain flare 36–72 h; relief after "
    "7–20 days",
    DOC_SRSM,
    S,
)
SM153_LABEL = Source(
    "Quadramet (Sm-153) US label (label text, mirror): counts weekly for at least 8 weeks from "
    "week 2; nadir 3–5 weeks, recovery by 8 weeks; not with chemotherapy or EBRT unless the "
    "benefit outweighs the risk",
    DOC_SRSM,
    V,
)
POWSNER = Source(
    "Powsner 1997, Clin Nucl Med 22:147 (the count thresholds are only suggested; profound "
    "suppression occurred despite them when marrow was replaced by tumour)",
    None,
    V,
)
RA223_NODES = Source(
    "ALSYMPCA eligibility as summarised by El-Amm & Aragon-Ching, OncoTargets Ther 2015 (no "
    "lymphadenopathy > 3 cm)",
    DOC_RA223,
    S,
)
PEACE3 = Source(
    "PEACE-3 (EORTC-1333; Gillessen, ESMO 2024, via Urology Times): radium-223 with "
    "enzalutamide; bone protection mandatory, started ≥ 6 weeks before the first radium-223",
    DOC_RA223,
    S,
)
PEACE3_FRACTURES = Source(
    "Gillessen et al. Eur Urol 2025;87:285 (PEACE-3: fractures fell once bone protection was "
    "mandated)",
    DOC_RA223,
    V,
)
RA223_BONE_HEALTH = Source(
    "Xofigo EU SmPC (assess bone health, consider a bone-targeted agent); radium-223 "
    "monotherapy phase II, Clin Genitourin Cancer 2021 (fracture-free 56 % at 12 months)",
    DOC_RA223,
    V,
)
RA223_OTHER_ARPI = Source(
    "Darolutamide or apalutamide with radium-223: no data found (rules additions RAD-10)",
    None,
    U,
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
