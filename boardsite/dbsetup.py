"""Create Boardsite's two database roles and hand the database to the owner: one
implementation for the embedded runner, CI and docker compose. Idempotent.

    DATABASE_SUPERUSER_URL=postgres://postgres@host/postgres \\
    DATABASE_OWNER_URL=postgres://boardsite_owner:…@host/boardsite \\
    DATABASE_URL=postgres://boardsite_app:…@host/boardsite \\
    python -m boardsite.dbsetup

- the owner (LOGIN, CREATEDB for the test database, not a superuser) owns the database,
  its public schema and every table in it — tables a superuser created before (an older
  checkout migrated as `postgres`) are handed over;
- the app role (LOGIN, nothing else) gets its privileges from `manage.py migrate`
  (cases/dbroles.py), which knows which tables are audit tables.

Passwords in the URLs are set on the roles (trust-authenticated local servers need none).
Only the standard library and psycopg: this runs before Django is configured.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# Tables, views and functions a previous owner left in the public schema; a table's
# identity sequences follow it.
_HAND_OVER = """
DO $$
DECLARE r record;
BEGIN
    FOR r IN
        SELECT c.oid::regclass::text AS name,
               CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                              ELSE 'TABLE' END AS kind
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
          AND c.relowner <> {owner_literal}::regrole
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO %I', r.kind, r.name, {owner_literal});
    END LOOP;
    FOR r IN
        SELECT p.oid::regprocedure::text AS name
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proowner <> {owner_literal}::regrole
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO %I', r.name, {owner_literal});
    END LOOP;
END
$$;
"""


@dataclass(frozen=True)
class Role:
    name: str
    password: str | None


def role_from_url(url: str) -> Role:
    parts = urlsplit(url)
    if not parts.username:
        raise SystemExit(f"boardsite.dbsetup: {url.split('@')[-1]!r} names no role")
    return Role(unquote(parts.username), unquote(parts.password) if parts.password else None)


def database_from_url(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def ensure_roles(*, superuser_conninfo: dict, database: str, owner: Role, app: Role,
                 test_database: str = "") -> None:
    """As a superuser: create or update both roles, create the database if missing, and
    make the owner own it, its public schema and everything in that schema. A test
    database left by an earlier run goes to the owner too, which drops and recreates it."""
    import psycopg
    from psycopg import sql

    if owner.name == app.name:
        raise SystemExit("boardsite.dbsetup: the owner and the app role must differ")
    with psycopg.connect(**superuser_conninfo, autocommit=True) as conn:
        for role, options in ((owner, "LOGIN CREATEDB NOSUPERUSER NOCREATEROLE"),
                              (app, "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")):
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                                  [role.name]).fetchone()
            verb = "ALTER" if exists else "CREATE"
            statement = sql.SQL(f"{verb} ROLE {{}} {options}").format(sql.Identifier(role.name))
            if role.password is not None:
                statement = sql.SQL("{} PASSWORD {}").format(statement,
                                                             sql.Literal(role.password))
            conn.execute(statement)
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            [database]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(database), sql.Identifier(owner.name)))
        conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
            sql.Identifier(database), sql.Identifier(owner.name)))
        if test_database and conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                          [test_database]).fetchone():
            conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                sql.Identifier(test_database), sql.Identifier(owner.name)))
    with psycopg.connect(**{**superuser_conninfo, "dbname": database}, autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(
            sql.Identifier(owner.name)))
        conn.execute(sql.SQL(_HAND_OVER.replace("{owner_literal}", "{}")).format(
            *[sql.Literal(owner.name)] * _HAND_OVER.count("{owner_literal}")))


def main() -> int:
    try:
        superuser_url = os.environ["DATABASE_SUPERUSER_URL"]
        owner_url = os.environ["DATABASE_OWNER_URL"]
        app_url = os.environ["DATABASE_URL"]
    except KeyError as missing:
        print(f"boardsite.dbsetup: set {missing.args[0]}", file=sys.stderr)
        return 2
    parts = urlsplit(superuser_url)
    conninfo = {
        "host": parts.hostname or None, "port": parts.port or 5432,
        "user": unquote(parts.username or "postgres"),
        "password": unquote(parts.password) if parts.password else None,
        "dbname": unquote(parts.path.lstrip("/")) or "postgres",
    }
    database = database_from_url(owner_url)
    if database != database_from_url(app_url):
        print("boardsite.dbsetup: DATABASE_URL and DATABASE_OWNER_URL name different "
              "databases", file=sys.stderr)
        return 2
    ensure_roles(superuser_conninfo={k: v for k, v in conninfo.items() if v is not None},
                 database=database, owner=role_from_url(owner_url), app=role_from_url(app_url),
                 test_database=os.environ.get("DATABASE_TEST_NAME", "test_boardsite"))
    print(f"boardsite.dbsetup: roles {role_from_url(owner_url).name} (owner) and "
          f"{role_from_url(app_url).name} (app) ready on {database}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
