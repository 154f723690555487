"""Periodic and queued work of the clinical record: sealing the audit chain, and the
security emails to account owners (`cases.security_notices`)."""

from __future__ import annotations

from celery import shared_task

from cases import security_notices
from cases.audit_chain import audit_chain_seal


@shared_task(name="cases.audit_chain_seal", ignore_result=True)
def seal_audit_chain() -> int:
    return audit_chain_seal()


@shared_task(name=security_notices.SEND_TASK, ignore_result=True, acks_late=True,
             reject_on_worker_lost=True)
def send_security_notice(notice_id: int) -> bool:
    return security_notices.security_notice_send(notice_id=int(notice_id))


@shared_task(name="cases.security_notices_send_due", ignore_result=True)
def send_due_security_notices() -> int:
    return security_notices.security_notices_send_due()
