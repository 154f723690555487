"""Check the audit chain, the audit rows and every signed decision's MAC.

    manage.py audit_verify            # exit 0 when intact, 1 on any break
    manage.py audit_verify --seal     # seal pending audit rows first

Run it as the app role or the owner; it only reads (unless --seal). With
BOARDSITE_AUDIT_ANCHOR_DIR set it also checks every anchored chain head in that
directory's file (run it where that directory is mounted). A break is printed
one line each, naming the row; the exit status is what monitoring watches.
"""

from django.core.management.base import BaseCommand, CommandError

from cases.audit_chain import audit_chain_seal, audit_verify


class Command(BaseCommand):
    help = "Verify the audit chain and the signatures of signed decisions."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seal", action="store_true",
                            help="Seal the audit rows written so far before checking.")
        parser.add_argument("--settle-seconds", type=int, default=None,
                            help="With --seal: only seal rows older than this (default 10).")

    def handle(self, *args, seal: bool = False, settle_seconds: int | None = None, **options):
        if seal:
            sealed = (audit_chain_seal() if settle_seconds is None
                      else audit_chain_seal(settle_seconds=settle_seconds))
            self.stdout.write(f"Sealed {sealed} audit rows.")
        report = audit_verify()
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.intact:
            raise CommandError(
                f"Audit check failed: {len(report.problems)} problems in {report.links} "
                f"audit links and {report.decisions} signed decisions."
            )
        self.stdout.write(f"Audit intact: {report.links} audit links, "
                          f"{report.decisions} signed decisions and {report.anchors} "
                          "anchored chain heads verify.")
