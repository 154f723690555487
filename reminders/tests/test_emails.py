"""Every email is built from the fixed vocabulary: rendered for every reminder the demo
cohort produces, none carries a patient's name, hospital number, date of birth,
diagnosis or primary-cancer word, or a raw key."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.choices import PrimarySite
from cases.models import Meeting, Patient, PrimaryCancer
from recommendations.engine.common import Supplier
from recommendations.selectors import current_drafts
from reminders import delivery, emails
from reminders.choices import ReminderKind
from reminders.models import Reminder
from reminders.services import meeting_preparation_schedule

#: Words that name or imply a primary cancer or its state, beyond the cohort's own
#: histologies and sites (which the test adds).
DIAGNOSIS_WORDS = (
    "prostate", "prostatic", "breast", "lung", "renal", "kidney", "thyroid", "myeloma",
    "melanoma", "bladder", "colorectal", "carcinoma", "adenocarcinoma", "sarcoma",
    "lymphoma", "cancer", "crpc", "mcrpc", "castration", "hormone", "psa", "her2",
    "oestrogen", "estrogen", "egfr", "radium", "ra-223", "lutetium", "psma", "enzalutamide",
    "abiraterone", "docetaxel", "tamoxifen", "metastatic",
)
RAW_KEY = re.compile(r"\b[a-z]+_[a-z_]+\b")


def test_the_vocabulary_covers_every_kind_and_supplier():
    assert set(emails.KIND_PHRASES) == set(ReminderKind.values)
    assert set(emails.SUPPLIER_PHRASES) == {str(s) for s in Supplier}
    every_phrase = [*(p for pair in emails.KIND_PHRASES.values() for p in pair),
                    *emails.SUPPLIER_PHRASES.values()]
    for phrase in every_phrase:
        assert not RAW_KEY.search(phrase), phrase
        for word in DIAGNOSIS_WORDS:
            assert not re.search(rf"\b{re.escape(word)}\b", phrase, re.IGNORECASE), (phrase, word)


def forbidden_words() -> list[str]:
    words = set(DIAGNOSIS_WORDS)
    for patient in Patient.objects.all():
        dob = patient.date_of_birth
        words |= {patient.given_name, patient.family_name, patient.hospital_number,
                  dob.isoformat(), dob.strftime("%d/%m/%Y"), dob.strftime("%d.%m.%Y"),
                  dob.strftime("%Y%m%d")}
    for primary in PrimaryCancer.objects.all():
        words |= {primary.histology, primary.site}
    words |= {str(label) for label in PrimarySite.labels} - {"Other"}
    words |= {value.replace("_", " ") for value in PrimarySite.values} - {"other"}
    return sorted(w for w in words if w and len(w.strip()) >= 3)


@pytest.mark.slow
def test_every_email_of_the_demo_cohort_carries_no_identifier_diagnosis_or_key(
        db, settings):
    settings.SITE_URL = "https://boardsite.hospital.example"
    call_command("load_demo_data", stdout=io.StringIO())
    for meeting in Meeting.objects.filter(starts_at__gte=timezone.now()):
        meeting_preparation_schedule(meeting=meeting)
    reminders = list(Reminder.objects.select_related("meeting", "responsible_user"))
    kinds = {r.kind for r in reminders}
    # The cohort exercises the kinds that carry the most (drugs, meetings, missing data).
    assert {ReminderKind.RENAL_BEFORE_ZOLEDRONIC, ReminderKind.DENTAL_BEFORE_BTA,
            ReminderKind.AGENDA_CIRCULATION, ReminderKind.MISSING_DATA_REQUEST} <= kinds
    drafts = current_drafts(agenda_item_ids=[r.agenda_item_id for r in reminders
                                             if r.agenda_item_id])
    forbidden = re.compile(
        r"(?<![\w])(?:" + "|".join(re.escape(w) for w in forbidden_words()) + r")(?![\w])",
        re.IGNORECASE)
    rendered: Counter[str] = Counter()
    facts = delivery.agenda_facts(reminders)
    for reminder in reminders:
        missing = None
        if reminder.kind == ReminderKind.MISSING_DATA_REQUEST:
            try:
                missing = emails.missing_by_supplier(drafts.get(reminder.agenda_item_id))
            except emails.NothingToSend:
                continue
        body = emails.content(reminder=reminder, missing=missing,
                              agenda=facts.get(reminder.pk))
        parts = [body.subject, body.text, body.html]
        if reminder.kind == ReminderKind.AGENDA_CIRCULATION:
            parts.append(emails.calendar(reminder, ["member@hospital.example"]).decode())
        text = "\n".join(parts)
        found = forbidden.search(text)
        assert found is None, (reminder.kind, found.group(0))
        assert RAW_KEY.search(text) is None, (reminder.kind, RAW_KEY.search(text).group(0))
        rendered[reminder.kind] += 1
    assert rendered[ReminderKind.MISSING_DATA_REQUEST] >= 1
    assert sum(rendered.values()) >= 30
