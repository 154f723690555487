"""Periodic work of the clinical record: sealing the audit chain."""

from __future__ import annotations

from celery import shared_task

from cases.audit_chain import audit_chain_seal


@shared_task(name="cases.audit_chain_seal", ignore_result=True)
def seal_audit_chain() -> int:
    return audit_chain_seal()
