"""Token authentication of the API: django-rest-knox's expiring, hashed tokens, with the
token and its user read in one hand-written query.

Tokens are stored as a SHA-512 digest only (knox); a token expires after
``BOARDSITE_API_TOKEN_HOURS`` and is revoked on sign-out and on any password change
(`cases.services.api_tokens_revoke`). The database row gives the first 15 characters
of the token (``token_key``, indexed) and the digest, which is compared in constant time.

Knox's own class reads the candidates with
`AuthToken.objects.filter(token_key=…).select_related("user")` and then every other
token of the user (to delete expired ones): building and compiling those queries was
about a sixth of the CPU of a whole `GET /api/v1/patients/` page
(`bench/api_patients_cpu.py`). This class runs the same join as plain SQL (built once
per process from the models' fields) and makes the same `AuthToken` and user instances
from the row. Same answers, same messages: an unknown or expired key is 401 "Invalid
token.", an inactive user 401 "User inactive or deleted."; every request still hits the
database, so a revoked token or a deactivated user is refused at once (no cache).
An expired token is deleted when it is presented.

The same query also reads the IDs of the user's boards (`user.member_board_ids`), so that
the scoped querysets of `cases.scoping` filter on a list instead of joining the
memberships: a one-table query costs less to compile and to plan.

The OpenAPI schema: drf-spectacular documents knox's class (and so this subclass) as
the `knoxApiToken` scheme, ``Authorization: Token <token>``.
"""

from __future__ import annotations

from hmac import compare_digest

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS
from rest_framework import exceptions

from cases.models import BoardMembership


class _TokenQuery:
    """The SQL, the field names and the converters of the token + user row."""

    def __init__(self, token_model, user_model, alias: str):
        connection = connections[alias]
        qn = connection.ops.quote_name
        token_fields = token_model._meta.concrete_fields
        user_fields = user_model._meta.concrete_fields
        user_fk = token_model._meta.get_field("user")
        key_column = token_model._meta.get_field("token_key").column
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


class TokenAuthentication(KnoxTokenAuthentication):
    """`Authorization: Token <token>`, as knox's, in one query without the ORM's compiler."""

    _queries: dict[str, _TokenQuery] = {}

    def authenticate_credentials(self, token):
        invalid = _("Invalid token.")
        try:
            token = token.decode("ascii")
            digest = hash_token(token)
        except (UnicodeError, TypeError, ValueError):
            raise exceptions.AuthenticationFailed(invalid) from None
        token_model = get_token_model()
        user_model = get_user_model()
        alias = router.db_for_read(token_model)
        query = self._queries.get(alias)
        if query is None:
            query = self._queries[alias] = _TokenQuery(token_model, user_model, alias)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(query.sql, [token[:CONSTANTS.TOKEN_KEY_LENGTH]])
            rows = cursor.fetchall()
        digest_index = query.token_names.index("digest")
        row = next((r for r in rows if compare_digest(r[digest_index], digest)), None)
        if row is None:
            raise exceptions.AuthenticationFailed(invalid)
        if query.converters:
            row = list(row)
            for i, convs in query.converters:
                for conv in convs:
                    row[i] = conv(row[i], query.fields[i], connection)
        auth_token = token_model.from_db(alias, query.token_names, row[:query.split])
        if auth_token.expiry is not None and auth_token.expiry <= timezone.now():
            token_model.objects.filter(pk=auth_token.pk).delete()
            raise exceptions.AuthenticationFailed(invalid)
        user = user_model.from_db(alias, query.user_names, row[query.split:-1])
        # Read in the same query; `cases.scoping` filters on it instead of joining the
        # memberships again (fresh on every request: the user is read per request).
        user.member_board_ids = row[-1]
        token_model._meta.get_field("user").set_cached_value(auth_token, user)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (user, auth_token)
