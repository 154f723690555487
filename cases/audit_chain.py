"""The audit chain: every audit row sealed, in order, by a keyed MAC over the one
before it; and the check that the chain, the rows and the signed decisions are intact.

Audit rows are pghistory events (every tracked write) and `PatientAccess` rows (every
read of patient data). They are written on the request's hot path; sealing them there
would serialise every request on one lock, so `audit_chain_seal` runs from beat every
few seconds (``BOARDSITE_AUDIT_SEAL_SECONDS``, 5) and seals what was written since:
rows older than `settle_seconds` (10) and older than the start of the oldest
transaction still writing, so that a row whose transaction commits after a later row
was sealed is not skipped (the chain follows primary keys). A row deleted or changed
after it was sealed is detected by `audit_verify`; the window before sealing is the
seal interval plus `settle_seconds` (≈ 15 s), longer only while a long transaction is
open (docs/security.md has the figures, bench/audit_seal.py measures the cost).

After each seal the chain's head is anchored outside the database: a line in an
append-only file under ``BOARDSITE_AUDIT_ANCHOR_DIR`` and the same line in the log
(ship it to a separate log host or syslog). `audit_verify` checks every anchored head
against the chain, so cutting the chain back or rebuilding it (even with the key)
shows. The keys are outside the database too (`cases.signing`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pghistory.models
from django.apps import apps
from django.conf import settings
from django.db import connection, migrations, models, transaction
from django.utils import timezone

from cases import signing
from cases.models import AuditChainLink, Decision, PatientAccess
from cases.services import decision_verify

logger = logging.getLogger(__name__)
#: The anchor lines, on their own logger so that they can be routed to syslog or a
#: separate log host (settings.LOGGING).
anchor_logger = logging.getLogger("boardsite.audit_anchor")

#: pg_advisory_xact_lock key of the sealer ("BSAUDIT" in ASCII): one sealer at a time.
_SEAL_LOCK = 0x42534155444954
DEFAULT_SETTLE_SECONDS = 10
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
    # By label, not identity: a migration passes its historical model (reseal_around).
    is_event = model._meta.label != PatientAccess._meta.label
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
              reseal_reason: str = "", key_id: str | None = None) -> tuple[str, str]:
    content = f"{previous}|{source}|{row_id}|{row_sha256}"
    if reseal_reason:
        # Links sealed as written keep the MAC they were given; a re-seal's reason is
        # covered too, so nobody can pass a rewrite off as another migration's.
        content += f"|reseal|{reseal_reason}"
    return signing.mac(content.encode(), key_id=key_id)


def _oldest_writer_start():
    """When the oldest transaction that has written something (it holds a transaction
    ID) and is still open began, other than this one; None if there is none. Its rows,
    once committed, carry a creation time at or after that start."""
    with connection.cursor() as cursor:
        # PostgreSQL keeps one view of pg_stat_activity per transaction: a fresh one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT min(xact_start) FROM pg_stat_activity "
            "WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() "
            "AND datname = current_database()")
        return cursor.fetchone()[0]


def _sources_with_pending_rows(cutoff) -> list[tuple[type[models.Model], int]]:
    """(model, watermark) of each audit table with rows to seal, in the chain's order.

    Two queries whatever the number of tables, so that a run with nothing to seal, the
    common case at a 5-second interval, stays cheap: one reads every table's watermark
    (the highest row sealed, from the (source, row_id) unique index), one asks every
    table at once whether it has a row above it older than the cutoff."""
    sources = audit_sources()
    labels = [model._meta.label for model in sources]
    link_table = connection.ops.quote_name(AuditChainLink._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.label, (SELECT max(l.row_id) FROM {link_table} l "  # noqa: S608
            "WHERE l.source = s.label AND l.reseal_reason = '') "
            "FROM unnest(%s::text[]) AS s(label)", [labels])
        watermarks = {label: mark or 0 for label, mark in cursor.fetchall()}
        checks, params = [], []
        for index, model in enumerate(sources):
            qn = connection.ops.quote_name
            table = qn(model._meta.db_table)
            pk = qn(model._meta.pk.column)
            created = qn(model._meta.get_field(_created_field(model)).column)
            checks.append(f"SELECT {index} WHERE EXISTS (SELECT 1 FROM {table} "  # noqa: S608
                          f"WHERE {pk} > %s AND {created} < %s)")
            params += [watermarks[model._meta.label], cutoff]
        cursor.execute(" UNION ALL ".join(checks), params)
        pending = sorted(row[0] for row in cursor.fetchall())
    return [(sources[i], watermarks[sources[i]._meta.label]) for i in pending]


def anchor_path():
    """The anchor file of this database, or None when no anchor directory is set."""
    directory = settings.AUDIT_ANCHOR_DIR
    if not directory:
        return None
    name = connection.settings_dict["NAME"]
    return os.path.join(directory, f"audit-anchors-{name}.jsonl")


def _anchor(*, link_id: int, mac: str, sealed: int) -> None:
    """Append the chain's head to the anchor file (O_APPEND: a line is never
    rewritten by us; make the directory append-only or WORM to hold others to that)
    and to the anchor log."""
    line = json.dumps({"at": timezone.now().isoformat(), "link": link_id, "mac": mac,
                       "sealed": sealed}, separators=(",", ":"))
    anchor_logger.info("audit chain head %s", line)
    path = anchor_path()
    if path is None:
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class _Reseal:
    """The two halves of `reseal_around`, sharing what the first half found intact."""

    def __init__(self, labels: list[str], reason: str):
        self.labels, self.reason = labels, reason
        self.intact: dict[str, dict[int, str]] = {}

    def _links(self, apps_state):
        return apps_state.get_model("cases", "AuditChainLink").objects

    def before(self, apps_state, schema_editor) -> None:
        """Which sealed rows match their newest link, hashed as the code that sealed them
        saw them (the migration's state before the change)."""
        links = self._links(apps_state)
        for label in self.labels:
            newest = dict(links.filter(source=label).order_by("id")
                          .values_list("row_id", "row_sha256"))
            if not newest:
                continue
            model = apps_state.get_model(label)
            self.intact[label] = {
                row_id: row_sha256
                for row_id, row_sha256 in _row_hashes(model, model._default_manager.all())
                if newest.get(row_id) == row_sha256
            }

    def after(self, apps_state, schema_editor) -> None:
        """Append a re-seal link, naming the migration, for every row that was intact
        before and that the migration changed. A row already broken before stays broken:
        the migration cannot launder a rewrite made outside it."""
        links = self._links(apps_state)
        last = links.order_by("-id").first()
        previous = last.mac if last else ""
        resealed = []
        for label, intact in self.intact.items():
            model = apps_state.get_model(label)
            rows = model._default_manager.filter(pk__in=intact)
            for row_id, row_sha256 in _row_hashes(model, rows):
                if row_sha256 == intact[row_id]:
                    continue
                key_id, mac = _link_mac(previous=previous, source=label, row_id=row_id,
                                        row_sha256=row_sha256, reseal_reason=self.reason)
                resealed.append(links.model(source=label, row_id=row_id, row_sha256=row_sha256,
                                            previous_mac=previous, reseal_reason=self.reason,
                                            key_id=key_id, mac=mac))
                previous = mac
        links.bulk_create(resealed, batch_size=_CHUNK)
        if resealed:
            head = links.order_by("-id").values_list("id", "mac").first()
            logger.info("audit chain: %s re-sealed %d rows; head is link %s",
                        self.reason, len(resealed), head[0])
            _anchor(link_id=head[0], mac=head[1], sealed=len(resealed))


def reseal_around(labels: list[str],
                  reason: str) -> tuple[migrations.RunPython, migrations.RunPython]:
    """Two migration operations to put around the operations of a migration that changes
    audit rows (adds, drops or rewrites a column of an event table): every audit row is
    hashed over all its columns, so without them `audit_verify` would report each row
    of that table as changed after it was sealed.

    The first checks which sealed rows of ``labels`` ("cases.PatientEvent", …) are intact;
    the second appends, for each of those the migration changed, a re-seal link whose MAC
    covers the new hash and ``reason`` (the migration's name and why). The re-seal is in
    the chain and anchored like any seal, so the rewrite shows, signed, instead of looking
    like tampering. Needs the signing keys when there are sealed rows to re-seal.
    """
    forward, backward = _Reseal(labels, reason), _Reseal(labels, f"{reason} (unapplied)")
    # Unapplied, the operations run in reverse order: the second checks, the first re-seals.
    return (migrations.RunPython(forward.before, backward.after, elidable=False),
            migrations.RunPython(forward.after, backward.before, elidable=False))


def audit_chain_seal(*, settle_seconds: int = DEFAULT_SETTLE_SECONDS) -> int:
    """Append a link for every audit row not sealed yet, older than `settle_seconds`
    and older than the oldest open writing transaction. Returns how many rows were
    sealed; anchors the chain's head outside the database (`_anchor`)."""
    cutoff = timezone.now() - timedelta(seconds=settle_seconds)
    sealed = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK])
        oldest = _oldest_writer_start()
        if oldest is not None:
            cutoff = min(cutoff, oldest)
        last = AuditChainLink.objects.order_by("-id").first()
        previous = last.mac if last else ""
        for model, watermark in _sources_with_pending_rows(cutoff):
            label = model._meta.label
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
        link_id, mac = AuditChainLink.objects.order_by("-id").values_list("id", "mac").first()
        logger.info("audit chain sealed %d rows; head is link %s", sealed, link_id)
        _anchor(link_id=link_id, mac=mac, sealed=sealed)
    return sealed


def _check_anchors(report: VerifyReport) -> None:
    """Every head in the anchor file must still be in the chain with the same MAC: a
    chain cut back loses anchored links, a rebuilt chain changes their MACs."""
    path = anchor_path()
    if path is None:
        return
    try:
        with open(path, encoding="utf-8") as anchors:
            lines = anchors.read().splitlines()
    except FileNotFoundError:
        if AuditChainLink.objects.exists():
            report.problems.append(f"No anchor file at {path}, but the chain has links: "
                                   "its heads were never anchored, or the file was removed.")
        return
    anchored: dict[int, tuple[int, str]] = {}
    for number, line in enumerate(lines, start=1):
        try:
            entry = json.loads(line)
            anchored[int(entry["link"])] = (number, str(entry["mac"]))
        except (ValueError, KeyError, TypeError):
            report.problems.append(f"Anchor line {number} cannot be read.")
    report.anchors = len(anchored)
    ids = sorted(anchored)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        macs = dict(AuditChainLink.objects.filter(pk__in=chunk).values_list("pk", "mac"))
        for link_id in chunk:
            number, mac = anchored[link_id]
            if link_id not in macs:
                report.problems.append(
                    f"Anchor line {number}: audit link #{link_id} is gone from the chain "
                    "(the chain was cut back).")
            elif macs[link_id] != mac:
                report.problems.append(
                    f"Anchor line {number}: audit link #{link_id} has a different MAC "
                    "than when it was anchored (the chain was rewritten).")


@dataclass
class VerifyReport:
    links: int = 0
    decisions: int = 0
    anchors: int = 0
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
    newest: dict[tuple[str, int], tuple[str, str]] = {}
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
                                    reseal_reason=link.reseal_reason, key_id=link.key_id)
        except signing.UnknownKey:
            expected = ""
        if not expected or expected != link.mac:
            report.problems.append(f"{where}: its MAC does not verify (the link was forged "
                                   "or its key is no longer configured).")
        if link.reseal_reason and link.row_id not in sealed.get(link.source, ()):
            report.problems.append(f"{where}: it re-seals a row that was never sealed.")
        # The row must match its newest link: a re-seal (a schema migration rewrote the
        # row while it was intact) replaces what the row is checked against.
        newest[(link.source, link.row_id)] = (where, link.row_sha256)
        sealed.setdefault(link.source, set()).add(link.row_id)
        previous = link.mac
    for (source, row_id), (where, row_sha256) in newest.items():
        rows = current.get(source)
        if rows is None:
            report.problems.append(f"{where}: the audit table is gone.")
        elif row_id not in rows:
            report.problems.append(f"{where}: the audit row was deleted.")
        elif rows[row_id] != row_sha256:
            report.problems.append(f"{where}: the audit row was changed after it was sealed.")
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
    _check_anchors(report)
    if sources and not all(IGNORE_GUARD_MARKER in source for source in sources):
        report.problems.append(
            "The trigger bypass (pgtrigger.ignore) is honoured for every role: run "
            "`manage.py migrate` as the owner to restore the guard."
        )
    return report
