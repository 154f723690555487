"""The audit chain: every audit row sealed, in order, by a keyed MAC over the one
before it; and the check that the chain, the rows and the signed decisions are intact.

Audit rows are pghistory events (every tracked write) and `PatientAccess` rows (every
read of patient data). They are written on the request's hot path; sealing them there
would serialise every request on one lock, so `audit_chain_seal` runs from beat every
minute and seals what was written since (rows older than `settle_seconds`, so that a
transaction still open when a later row was sealed is not skipped). A row deleted or
changed after it was sealed is detected by `audit_verify`; the window before sealing is
the beat interval plus `settle_seconds`.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pghistory.models
from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from cases import signing
from cases.models import AuditChainLink, Decision, PatientAccess
from cases.services import decision_verify

logger = logging.getLogger(__name__)

#: pg_advisory_xact_lock key of the sealer ("BSAUDIT" in ASCII): one sealer at a time.
_SEAL_LOCK = 0x42534155444954
DEFAULT_SETTLE_SECONDS = 120
_CHUNK = 2000


def audit_sources() -> list[type[models.Model]]:
    """Every table of audit rows, in a fixed order: PatientAccess and each concrete
    pghistory event model (new trackers join the chain without a code change)."""
    events = [
        model for model in apps.get_models()
        if issubclass(model, pghistory.models.Event)
        and model._meta.managed and not model._meta.proxy
    ]
    return [PatientAccess, *sorted(events, key=lambda model: model._meta.label)]


def _created_field(model: type[models.Model]) -> str:
    return "at" if model is PatientAccess else "pgh_created_at"


def _row_hashes(model: type[models.Model], queryset: models.QuerySet) -> Iterator[tuple[int, str]]:
    """(primary key, SHA-256 of the row as canonical JSON), in primary-key order. An
    event's hash includes its context (who, from which URL) as it is now."""
    pk_name = model._meta.pk.attname
    is_event = model is not PatientAccess
    rows = queryset.order_by(pk_name).values()
    batch: list[dict] = []

    def flush() -> Iterator[tuple[int, str]]:
        contexts: dict = {}
        if is_event:
            ids = {row["pgh_context_id"] for row in batch} - {None}
            contexts = dict(
                pghistory.models.Context.objects.filter(pk__in=ids).values_list("pk", "metadata")
            )
        for row in batch:
            if is_event:
                row = {**row, "pgh_context_metadata": contexts.get(row["pgh_context_id"])}
            canonical = json.dumps(row, sort_keys=True, separators=(",", ":"), default=str,
                                   ensure_ascii=False)
            yield row[pk_name], hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    for row in rows.iterator(chunk_size=_CHUNK):
        batch.append(row)
        if len(batch) >= _CHUNK:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def _link_mac(*, previous: str, source: str, row_id: int, row_sha256: str,
              key_id: str | None = None) -> tuple[str, str]:
    return signing.mac(f"{previous}|{source}|{row_id}|{row_sha256}".encode(), key_id=key_id)


def audit_chain_seal(*, settle_seconds: int = DEFAULT_SETTLE_SECONDS) -> int:
    """Append a link for every audit row not sealed yet and older than
    `settle_seconds`. Returns how many rows were sealed; logs the chain's head (an
    anchor outside the database: a truncated chain shows against the last logged head).
    """
    cutoff = timezone.now() - timedelta(seconds=settle_seconds)
    sealed = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK])
        last = AuditChainLink.objects.order_by("-id").first()
        previous = last.mac if last else ""
        for model in audit_sources():
            label = model._meta.label
            watermark = (
                AuditChainLink.objects.filter(source=label)
                .aggregate(m=models.Max("row_id"))["m"] or 0
            )
            pending = model._default_manager.filter(
                pk__gt=watermark, **{f"{_created_field(model)}__lt": cutoff}
            )
            links = []
            for row_id, row_sha256 in _row_hashes(model, pending):
                key_id, mac = _link_mac(previous=previous, source=label, row_id=row_id,
                                        row_sha256=row_sha256)
                links.append(AuditChainLink(source=label, row_id=row_id, row_sha256=row_sha256,
                                            previous_mac=previous, key_id=key_id, mac=mac))
                previous = mac
                if len(links) >= _CHUNK:
                    AuditChainLink.objects.bulk_create(links)
                    sealed += len(links)
                    links = []
            AuditChainLink.objects.bulk_create(links)
            sealed += len(links)
    if sealed:
        head = AuditChainLink.objects.order_by("-id").values_list("id", "mac").first()
        logger.info("audit chain sealed %d rows; head is link %s with MAC %s", sealed, *head)
    return sealed


@dataclass
class VerifyReport:
    links: int = 0
    decisions: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


#: The marker of our `_pgtrigger_should_ignore` (cases/dbroles.py).
IGNORE_GUARD_MARKER = "boardsite: ignore honoured for the table owner only"


def audit_verify() -> VerifyReport:
    """Check the chain link by link against the audit rows as they are now, that no
    row older than the chain's head is missing from it, and the MAC of every signed
    decision. Each break is one problem, in words that name the row."""
    report = VerifyReport()
    current: dict[str, dict[int, str]] = {}
    for model in audit_sources():
        current[model._meta.label] = dict(_row_hashes(model, model._default_manager.all()))
    previous = ""
    sealed: dict[str, set[int]] = {label: set() for label in current}
    for link in AuditChainLink.objects.order_by("id").iterator(chunk_size=_CHUNK):
        report.links += 1
        where = f"audit link #{link.pk} ({link.source} row {link.row_id})"
        if link.previous_mac != previous:
            report.problems.append(
                f"{where}: does not follow the link before it (a link was removed or changed)."
            )
        try:
            _, expected = _link_mac(previous=link.previous_mac, source=link.source,
                                    row_id=link.row_id, row_sha256=link.row_sha256,
                                    key_id=link.key_id)
        except signing.UnknownKey:
            expected = ""
        if not expected or expected != link.mac:
            report.problems.append(f"{where}: its MAC does not verify (the link was forged "
                                   "or its key is no longer configured).")
        rows = current.get(link.source)
        if rows is None:
            report.problems.append(f"{where}: the audit table is gone.")
        elif link.row_id not in rows:
            report.problems.append(f"{where}: the audit row was deleted.")
        elif rows[link.row_id] != link.row_sha256:
            report.problems.append(f"{where}: the audit row was changed after it was sealed.")
        sealed.setdefault(link.source, set()).add(link.row_id)
        previous = link.mac
    for label, rows in current.items():
        high = max(sealed[label], default=0)
        missing = sorted(pk for pk in rows if pk <= high and pk not in sealed[label])
        for pk in missing[:20]:
            report.problems.append(f"{label} row {pk} is older than the sealed rows but not "
                                   "in the chain (inserted afterwards).")
        if len(missing) > 20:
            report.problems.append(f"{label}: {len(missing) - 20} more rows like that.")
    for decision in (Decision.objects.filter(signed_at__isnull=False)
                     .select_related("agenda_item").order_by("pk")):
        report.decisions += 1
        if not decision_verify(decision):
            report.problems.append(
                f"Signed decision #{decision.pk}: its content no longer matches its signature."
            )
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = '_pgtrigger_should_ignore'")
        sources = [row[0] for row in cursor.fetchall()]
    if sources and not all(IGNORE_GUARD_MARKER in source for source in sources):
        report.problems.append(
            "The trigger bypass (pgtrigger.ignore) is honoured for every role: run "
            "`manage.py migrate` as the owner to restore the guard."
        )
    return report
