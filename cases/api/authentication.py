"""Token authentication of the API: DRF's, with the token and its user read in one
hand-written query.

DRF's `TokenAuthentication` looks the token up with
`Token.objects.select_related("user").get(key=…)`: building and compiling that query
was about a sixth of the CPU of a whole `GET /api/v1/patients/` page
(`bench/api_patients_cpu.py`). This class runs the same join as plain SQL (built once
per process from the models' fields) and makes the same `Token` and user instances
from the row. Same answers, same messages: an unknown key is 401 "Invalid token.", an
inactive user 401 "User inactive or deleted."; every request still hits the database,
so a deleted token or a deactivated user is refused at once (no cache).

The same query also reads the IDs of the user's boards (`user.member_board_ids`), so that
the scoped querysets of `cases.scoping` filter on a list instead of joining the
memberships: a one-table query costs less to compile and to plan.

The OpenAPI schema is unchanged: drf-spectacular documents subclasses of DRF's class as
the same `tokenAuth` scheme.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from cases.models import BoardMembership


class _TokenQuery:
    """The SQL, the field names and the converters of the token + user row."""

    def __init__(self, token_model, user_model, alias: str):
        connection = connections[alias]
        qn = connection.ops.quote_name
        token_fields = token_model._meta.concrete_fields
        user_fields = user_model._meta.concrete_fields
        user_fk = token_model._meta.get_field("user")
        key_column = token_model._meta.get_field("key").column
        membership = BoardMembership._meta
        board_fk, member_fk = membership.get_field("board"), membership.get_field("user")
        columns = [f"t.{qn(f.column)}" for f in token_fields]
        columns += [f"u.{qn(f.column)}" for f in user_fields]
        self.sql = (
            f"SELECT {', '.join(columns)}, "  # noqa: S608
            # The user's boards, which every scoped queryset needs (`cases.scoping`).
            f"ARRAY(SELECT m.{qn(board_fk.column)} FROM {qn(membership.db_table)} m "
            f"WHERE m.{qn(member_fk.column)} = u.{qn(user_fk.target_field.column)}) "
            f"FROM {qn(token_model._meta.db_table)} t "
            f"INNER JOIN {qn(user_model._meta.db_table)} u "
            f"ON t.{qn(user_fk.column)} = u.{qn(user_fk.target_field.column)} "
            f"WHERE t.{qn(key_column)} = %s"
        )
        self.split = len(token_fields)
        self.token_names = [f.attname for f in token_fields]
        self.user_names = [f.attname for f in user_fields]
        # What the ORM would apply to each column (none for the stock models).
        self.converters = [
            (i, convs)
            for i, field in enumerate([*token_fields, *user_fields])
            if (convs := connection.ops.get_db_converters(field.get_col("t"))
                + field.get_db_converters(connection))
        ]
        self.fields = [*token_fields, *user_fields]


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`, as DRF's, in one query without the ORM's compiler."""

    _queries: dict[str, _TokenQuery] = {}

    def authenticate_credentials(self, key):
        token_model = self.get_model()
        user_model = get_user_model()
        alias = router.db_for_read(token_model)
        query = self._queries.get(alias)
        if query is None:
            query = self._queries[alias] = _TokenQuery(token_model, user_model, alias)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(query.sql, [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if query.converters:
            row = list(row)
            for i, convs in query.converters:
                for conv in convs:
                    row[i] = conv(row[i], query.fields[i], connection)
        token = token_model.from_db(alias, query.token_names, row[:query.split])
        user = user_model.from_db(alias, query.user_names, row[query.split:-1])
        # Read in the same query; `cases.scoping` filters on it instead of joining the
        # memberships again (fresh on every request: the user is read per request).
        user.member_board_ids = row[-1]
        token_model._meta.get_field("user").set_cached_value(token, user)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (user, token)
