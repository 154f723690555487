"""Audit trail of what grants or changes access: user accounts, their role groups and
their API tokens (knox's; memberships and attendance are `audited` where they are defined).

These models belong to other apps (auth, the token app), so they are tracked through
proxy models declared here: the triggers then live in `cases`' migrations. No secret is
copied into an event: not the password hash (a password change is recorded as its own
event, without the hash), not a token's key.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.contrib.auth import get_user_model
from knox.models import AuthToken

User = get_user_model()

#: Fields changed on every sign-in; the sign-in itself is logged by django-axes.
_USER_CHURN = {"last_login"}
_USER_SECRETS = ["password"]

_user_fields = [f.name for f in User._meta.concrete_fields
                if f.name not in _USER_CHURN and f.name not in _USER_SECRETS]


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pgtrigger.AnyChange(*_user_fields)),
    pghistory.UpdateEvent("password_change", condition=pgtrigger.AnyChange("password")),
    pghistory.DeleteEvent(),
    exclude=_USER_SECRETS,
    model_name="UserEvent",
)
class TrackedUser(User):
    class Meta:
        proxy = True


# Role groups: the join table's rows are the grant and the revocation.
@pghistory.track(
    pghistory.InsertEvent("group_add"),
    pghistory.DeleteEvent("group_remove"),
    obj_field=None,
    model_name="UserGroupEvent",
)
class TrackedUserGroup(User.groups.through):
    class Meta:
        proxy = True


def token_tracker(*, secret_fields: list[str], pk_is_secret: bool):
    """Issue and revocation of an API token (insert, delete), never its secret: put on
    a proxy of whatever token model the project uses. A token model whose primary key
    is the secret (DRF's) gets no link to the row, only the user and the times."""
    return pghistory.track(
        pghistory.InsertEvent("issue"),
        pghistory.DeleteEvent("revoke"),
        exclude=secret_fields,
        **({"obj_field": None} if pk_is_secret else {}),
        model_name="TokenEvent",
    )


# knox keeps only a digest of each token, but it is the row's primary key and the
# token's lookup prefix is half of what a client presents: neither goes into an event.
@token_tracker(secret_fields=["digest", "token_key"], pk_is_secret=True)
class TrackedToken(AuthToken):
    class Meta:
        proxy = True
