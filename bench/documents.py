"""After the meeting: how long writing a decision's two letters (HTML + WeasyPrint PDF),
reading them back, building its FHIR bundle and rendering a meeting's minutes take.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db with load_demo_data> \\
        BOARDSITE_ENV=development python bench/documents.py [--runs 7]

Reads the demo cohort of the database DATABASE_URL names (run `load_demo_data` first).
Each run writes the letters of the demo's richest signed decision that has none yet,
inside a transaction that is rolled back (a letter is stored once and never changes,
so it can only be written again after a rollback). Prints the median and the range of each, in ms
(wall time of this process, which includes PostgreSQL's share on the same machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def _time(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boardsite.settings")
    import django

    django.setup()
    from django.db import transaction

    from cases import documents
    from cases.choices import MeetingStatus
    from cases.fhir_export import decision_bundle_json
    from cases.models import Decision, Meeting

    # A version without stored letters (the samples command writes some for good).
    signed = list(Decision.objects.filter(signed_at__isnull=False, letters__isnull=True)
                  .prefetch_related("items"))
    if not signed:
        sys.exit("No signed decision without letters: run load_demo_data on this database.")
    decision = max(signed, key=lambda d: sum(1 for i in d.items.all() if i.action_kind))
    meeting = Meeting.objects.filter(status=MeetingStatus.HELD).first()
    documents.render_pdf("<p>warm-up</p>", title="warm-up")  # fonts load once per process

    figures: dict[str, list[float]] = {"write both letters (HTML + PDF)": [],
                                       "read both stored letters": [],
                                       "FHIR bundle (build + validate + JSON)": [],
                                       "minutes (HTML + PDF)": []}
    for _ in range(runs):
        with transaction.atomic():
            figures["write both letters (HTML + PDF)"].append(
                _time(lambda: documents.letters_for_decision(decision=decision)))
            figures["read both stored letters"].append(
                _time(lambda: documents.letters_for_decision(decision=decision)))
            transaction.set_rollback(True)
        figures["FHIR bundle (build + validate + JSON)"].append(_time(
            lambda: decision_bundle_json(documents.signed_plan(decision=decision))))
        if meeting is not None:
            figures["minutes (HTML + PDF)"].append(_time(lambda: documents.render_pdf(
                documents.minutes_body(documents.minutes_of(meeting=meeting)),
                title="Minutes")))
    actions = sum(1 for i in decision.items.all() if i.action_kind)
    cases = meeting.agenda_items.count() if meeting else 0
    print(f"decision #{decision.pk} ({actions} actions), meeting #{getattr(meeting, 'pk', '-')}"
          f" ({cases} cases), {runs} runs")
    for name, values in figures.items():
        if values:
            print(f"{name:40s} median {statistics.median(values):8.1f} ms "
                  f"(min {min(values):.1f}, max {max(values):.1f})")


if __name__ == "__main__":
    main()
