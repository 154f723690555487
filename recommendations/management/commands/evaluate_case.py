"""Evaluate a self-contained case-facts JSON file and print the draft plan as JSON.

    python manage.py evaluate_case case.json [--as-of 2026-11-27]
    cat case.json | python manage.py evaluate_case -

Stateless: no database is read or written, so no patient data is touched. The facts'
schema is `recommendations/engine/case_facts.schema.json`. Invalid input prints the
field-level errors as JSON on stderr and exits with code 2.
"""

from __future__ import annotations

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from recommendations.engine import evaluate
from recommendations.engine.io import FactsValidationError, facts_from_json, plan_to_json

EXIT_INVALID_INPUT = 2


class Command(BaseCommand):
    help = "Evaluate a case-facts JSON file (or - for stdin) and print the draft plan."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the case-facts JSON, or - for stdin.")
        parser.add_argument(
            "--as-of", dest="as_of", default=None,
            help="Evaluation date, YYYY-MM-DD (default: today in the clinic's time zone).",
        )

    def _fail(self, errors: dict[str, list[str]]) -> None:
        sys.stderr.write(json.dumps({"errors": errors}, indent=2, sort_keys=True) + "\n")
        sys.exit(EXIT_INVALID_INPUT)

    def handle(self, *args, file: str, as_of: str | None, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            self._fail({"as_of": ["Give the date as YYYY-MM-DD."]})
        try:
            if file == "-":
                text = sys.stdin.read()
            else:
                with open(file, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            self._fail({"$": [f"Not valid JSON: {exc.msg} at line {exc.lineno}."]})
        if not isinstance(data, dict):
            self._fail({"$": ["The case facts must be a JSON object."]})
        try:
            facts = facts_from_json(data, as_of=day)
        except FactsValidationError as exc:
            self._fail(exc.errors)
        plan = evaluate(facts, as_of=day)
        self.stdout.write(json.dumps(plan_to_json(plan), indent=2, ensure_ascii=False))
