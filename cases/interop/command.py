"""What `manage.py import_fhir` and `manage.py import_hl7` share: read the file, import
it into the board (or only preview it with --dry-run), print the preview in words."""

from __future__ import annotations

from pathlib import Path

import pghistory
from django.core.management.base import BaseCommand, CommandError

from cases.interop.plan import Plan
from cases.models import Board
from cases.services import records_import


class ImportCommand(BaseCommand):
    source = ""

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The file to import.")
        parser.add_argument("--board", required=True,
                            help="The board to import into: its ID or its exact name.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Show what would change; write nothing.")

    def handle(self, *args, **options) -> None:
        board_arg = options["board"]
        board = (Board.objects.filter(pk=int(board_arg)).first() if board_arg.isdigit()
                 else Board.objects.filter(name=board_arg).first())
        if board is None:
            raise CommandError(f"No board {board_arg!r}.")
        path = Path(options["file"])
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        with pghistory.context(command=f"import_{self.source}", file=path.name):
            plan = records_import(board=board, user=None, source=self.source,
                                  content=content, filename=path.name,
                                  commit=not options["dry_run"])
        self._print(plan, dry_run=options["dry_run"])
        if not plan.ok:
            raise CommandError(f"Nothing was imported: {len(plan.errors)} error(s).")

    def _print(self, plan: Plan, *, dry_run: bool) -> None:
        for line in plan.lines:
            self.stdout.write(f"{line.status_label:<28} {line.entry:<11} {line.label}: "
                              f"{line.summary}")
            for change in line.changes:
                self.stdout.write(f"{'':<28}   {change.field}: {change.before} → {change.after}")
        for code in plan.unknown:
            self.stdout.write(f"{'Not imported':<28} {code.entry:<11} {code.label}: "
                              f"{code.system_name} {code.code} {code.display} ({code.reason})")
        for error in plan.errors:
            self.stderr.write(f"Error: {error}")
        counts = plan.counts()
        if not plan.ok:
            return  # handle() says nothing was imported
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb}: {counts['new']} new, {counts['updated']} updated, "
                          f"{counts['unchanged']} unchanged, {counts['noted']} recognised "
                          f"with nothing to store, {counts['unknown_codes']} code(s) not "
                          "imported.")
