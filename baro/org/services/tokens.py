"""API tokens: issue (the secret is shown once, only its hash is kept) and revoke."""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils.translation import gettext as _

from baro.core.errors import DomainError
from baro.core.run import command
from baro.core.timeutil import now
from baro.ledger.services import record_action
from baro.org.api_auth import hash_token
from baro.org.models import ApiToken, Person
from baro.org.permissions import require_token_authority
from baro.org.services._shared import OBJ_TOKEN, aware, clean, required


@command
def api_token_issue(
    *, actor: Person, person: Person, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a bearer token acting as `person`; returns it with the raw secret (shown once).

    Only its SHA-256 is stored; the ledger records its name and prefix, never the secret.
    """
    decision = require_token_authority(actor, person)
    name = required(name, "name", _("tên mã truy cập"))
    if expires_at is not None:
        aware(expires_at, "expires_at")
        if expires_at <= now():
            raise DomainError(
                "org.token_expiry_past", _("Thời hạn phải ở tương lai."), field="expires_at"
            )
    raw = "baro_" + secrets.token_urlsafe(32)
    token = ApiToken(
        person=person, name=name, prefix=raw[:12], token_hash=hash_token(raw), expires_at=expires_at
    )
    clean(token, exclude=["person"])
    token.save(force_insert=True)
    record_action(
        actor=actor,
        decision=decision,
        action="org.api_token.issued",
        object_type=OBJ_TOKEN,
        object_id=token.pk,
        payload={
            "person_id": person.pk,
            "name": token.name,
            "prefix": token.prefix,
            "expires_at": token.expires_at,
        },
    )
    return token, raw


@command
def api_token_revoke(*, actor: Person, token: ApiToken) -> ApiToken:
    """Revoke a token now."""
    token = ApiToken.objects.select_for_update().select_related("person").get(pk=token.pk)
    decision = require_token_authority(actor, token.person)
    if token.revoked_at is not None:
        raise DomainError(
            "org.token_already_revoked", _("Mã truy cập đã bị thu hồi."), field="token"
        )
    token.revoked_at = now()
    token.save(update_fields=["revoked_at"])
    record_action(
        actor=actor,
        decision=decision,
        action="org.api_token.revoked",
        object_type=OBJ_TOKEN,
        object_id=token.pk,
        payload={
            "person_id": token.person_id,
            "prefix": token.prefix,
            "revoked_at": token.revoked_at,
        },
    )
    return token
