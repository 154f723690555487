"""`python manage.py document_samples [--out docs/samples]`: the sample outputs of the
demo cohort — both letters (HTML and PDF) and the FHIR export of one signed decision,
and the minutes (HTML and PDF) of one held meeting.

Run it after `load_demo_data` (`./bin/run` loads it; `./bin/manage document_samples`
then writes the files). The decision is the demo's signed decision with the most
actions (a medication among them when there is one), so the samples show every part
of the documents. The letters are the stored ones (written on first use, as on the
pages); the HTML files link the documents' stylesheet so they open in a browser.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from cases import documents
from cases.choices import MeetingStatus
from cases.demo.builders import HOSPITAL_NUMBER_PREFIX
from cases.fhir_export import decision_bundle_json
from cases.models import Decision, Meeting

REPO = Path(__file__).resolve().parents[3]
STYLESHEET = REPO / "boardsite" / "static" / "boardsite" / "documents.css"


class Command(BaseCommand):
    help = "Write sample letters, FHIR export and minutes of the demo cohort."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", default=str(REPO / "docs" / "samples"))

    def _write_html(self, path: Path, body: str, title: str) -> None:
        document = render_to_string("cases/documents/pdf.html", {"body": body, "title": title})
        link = f'<link rel="stylesheet" href="{Path("..", "..", STYLESHEET.relative_to(REPO))}">'
        path.write_text(document.replace("</head>", f"{link}</head>", 1), encoding="utf-8")

    def handle(self, *args, out: str, **options) -> None:
        prefix = HOSPITAL_NUMBER_PREFIX
        signed = list(Decision.objects.filter(
            signed_at__isnull=False, agenda_item__patient__hospital_number__startswith=prefix)
            .prefetch_related("items").order_by("pk"))
        if not signed:
            raise CommandError("No signed decision of the demo cohort: run load_demo_data first.")

        def richness(decision: Decision) -> tuple[bool, int]:
            kinds = [i.action_kind for i in decision.items.all() if i.action_kind]
            return ("medication" in kinds, len(set(kinds)))

        decision = max(signed, key=richness)
        meeting = Meeting.objects.filter(status=MeetingStatus.HELD,
                                         agenda_items__decisions=decision).first()
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for letter in documents.letters_for_decision(decision=decision):
            name = f"letter-{letter.audience}"
            self._write_html(folder / f"{name}.html", letter.html, letter.get_audience_display())
            (folder / f"{name}.pdf").write_bytes(bytes(letter.pdf))
        plan = documents.signed_plan(decision=decision)
        (folder / "decision.fhir.json").write_text(decision_bundle_json(plan) + "\n",
                                                  encoding="utf-8")
        if meeting is not None:
            body = documents.minutes_body(documents.minutes_of(meeting=meeting))
            self._write_html(folder / "minutes.html", body, "Minutes of the meeting")
            (folder / "minutes.pdf").write_bytes(
                documents.render_pdf(body, title="Minutes of the meeting")[0])
        for path in sorted(folder.iterdir()):
            self.stdout.write(f"{path} ({path.stat().st_size} bytes)")
