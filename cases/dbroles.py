"""Two database roles: the owner, which runs migrations, and the app role, which
web, worker and beat connect as (settings.DATABASE_OWNER, settings.DATABASE_APP_ROLE).

The app role owns nothing, so it cannot ALTER a table or DISABLE its triggers. It may
read and write the ordinary tables, and only INSERT and SELECT the audit tables (every
pghistory event table, `PatientAccess`, the audit chain): an audit row cannot be
changed or deleted through the application's credentials. The grants are re-applied
after every `migrate` (a post_migrate handler), so tables added by later migrations are
covered, and the append-only list is computed from the models, so a new tracker is
append-only without a code change.

Two more tables hold audit data that the libraries themselves must keep writing, so
they are restricted as far as those writes allow (column-level grants):

- ``pghistory_context`` (who and which URL, for every event): pghistory's upsert
  (`_pgh_attach_context`, ``INSERT … ON CONFLICT (id) DO UPDATE SET metadata,
  updated_at``) needs INSERT and UPDATE of those two columns; no DELETE, no UPDATE of
  the ID or the creation time. The app role can still rewrite a context's metadata;
  once its events are sealed that shows in `audit_verify` (an event's hash covers its
  context as it is now), before that it is the sealing window (docs/security.md).
- django-axes' sign-in log (``axes_accesslog``): INSERT, and UPDATE of
  ``logout_time`` only (axes stamps the sign-out); no DELETE (its clean-up command runs
  as the owner). The failure log (``axes_accessfailurelog``) is append-only while axes
  does not write it (``AXES_ENABLE_ACCESS_FAILURE_LOG`` off: with it on, axes deletes a
  user's oldest failures itself). The attempts table (``axes_accessattempt``) stays
  fully writable: it is the lock-out's counter, reset and cleaned by axes on every
  successful sign-in, not a record.

pgtrigger lets any session skip a trigger with `SET LOCAL pgtrigger.ignore = '{…}'`.
Its check function is replaced here by one that honours the setting only for a role
that owns the trigger's table — the one role that could drop the trigger anyway — so
the app role can neither rewrite a signed decision nor write an untracked change.
pgtrigger re-creates its own version whenever it installs a trigger, which is why this
runs after every migrate too, and `manage.py audit_verify` reports its absence.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connections
from psycopg import sql

from cases.audit_chain import IGNORE_GUARD_MARKER, audit_sources
from cases.models import AuditChainLink, DocumentDispatch, OutcomeLetter

_IGNORE_FUNCTION = """
CREATE OR REPLACE FUNCTION "public"._pgtrigger_should_ignore(trigger_name NAME)
RETURNS BOOLEAN AS $$
    -- boardsite: ignore honoured for the table owner only
    DECLARE
        _pgtrigger_ignore TEXT[];
    BEGIN
        BEGIN
            SELECT INTO _pgtrigger_ignore CURRENT_SETTING('pgtrigger.ignore');
            EXCEPTION WHEN OTHERS THEN
        END;
        IF _pgtrigger_ignore IS NULL OR NOT (trigger_name = ANY(_pgtrigger_ignore)) THEN
            RETURN FALSE;
        END IF;
        RETURN EXISTS (
            SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE t.tgname = trigger_name
              AND pg_has_role(current_user, c.relowner, 'USAGE')
        );
    END;
$$ LANGUAGE plpgsql;
"""
if IGNORE_GUARD_MARKER not in _IGNORE_FUNCTION:  # audit_verify recognises it by this
    raise RuntimeError("the trigger-bypass guard lost its marker")


def append_only_tables() -> list[str]:
    # Outcome letters are written once per signed version and the record of who was
    # sent a link is an audit trail: neither is ever changed by the application.
    return sorted({model._meta.db_table for model in [*audit_sources(), AuditChainLink,
                                                       OutcomeLetter, DocumentDispatch]})


def column_limited_tables() -> dict[str, list[str]]:
    """Tables the app role may INSERT into and UPDATE only these columns of, never
    DELETE from: what pghistory's and axes' own writes need (module docstring)."""
    limited = {
        "pghistory_context": ["metadata", "updated_at"],
        "axes_accesslog": ["logout_time"],
    }
    if not getattr(settings, "AXES_ENABLE_ACCESS_FAILURE_LOG", False):
        limited["axes_accessfailurelog"] = []
    return limited


def apply_grants(*, using: str = "default") -> None:
    """Install the trigger-bypass guard and (when an app role is configured) grant it
    its privileges. Runs as the owner, after every migrate."""
    connection = connections[using]
    app_role = settings.DATABASE_APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute(_IGNORE_FUNCTION)
        if not app_role:
            return
        role = sql.Identifier(app_role)
        statements = [
            sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(role),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                    "TO {}").format(role),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role),
            # The migration record is the owner's.
            sql.SQL("REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {}").format(role),
        ]
        for table in append_only_tables():
            statements.append(sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(
                sql.Identifier(table), role))
        existing = set(connection.introspection.table_names(cursor))
        for table, columns in column_limited_tables().items():
            if table not in existing:
                continue
            statements.append(sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                sql.Identifier(table), role))
            if columns:
                statements.append(sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(
                    sql.SQL(", ").join(sql.Identifier(c) for c in columns),
                    sql.Identifier(table), role))
        for statement in statements:
            cursor.execute(statement.as_string(cursor.connection))


def use_owner_connection(*, using: str = "default") -> bool:
    """Point the connection at the owner role (`migrate`, the test set-up). Returns
    False, changing nothing, when no owner role is configured."""
    owner = settings.DATABASE_OWNER
    if not owner:
        return False
    connection = connections[using]
    connection.close()
    for key in ("USER", "PASSWORD", "HOST", "PORT", "OPTIONS"):
        if key in owner:
            connection.settings_dict[key] = owner[key]
    return True


def app_role_conninfo(*, using: str = "default") -> dict:
    """psycopg connection arguments for the app role on the database `using` points at
    now (the test database during tests): what the tamper tests connect with."""
    app = settings.DATABASE_APP
    conninfo = {
        "dbname": connections[using].settings_dict["NAME"],
        "user": app["USER"], "password": app["PASSWORD"] or None,
        "host": (app.get("OPTIONS") or {}).get("host") or app["HOST"] or None,
        "port": app["PORT"] or None,
    }
    return {key: value for key, value in conninfo.items() if value is not None}
