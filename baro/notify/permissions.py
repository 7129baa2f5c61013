"""Who may administer notifications: webhooks and the outbox of deliveries.

Webhook endpoints receive every notification of the installation, and the outbox shows every
recipient's address, so both belong to the administrators of the registry: whoever holds
registry.manage over some unit (an ADMIN position, or a delegation of it). Anyone else is
refused (403 `auth.denied`) before anything is looked up; an administrator asking for an
endpoint or a delivery that does not exist gets NotFoundError. The pages and the API fetch
through `webhook_get_for_actor` / `delivery_get_for_actor` before any command runs.

A person's own notifications need no question: the queries only ever read the recipient's.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from baro.core.errors import AuthorityError, NotFoundError
from baro.notify.models import Delivery, WebhookEndpoint
from baro.org import authority
from baro.org.authority import Decision, Power
from baro.org.models import Person

__all__ = [
    "can_manage",
    "delivery_get_for_actor",
    "manage_decision",
    "require_can_manage",
    "webhook_get_for_actor",
]


def manage_decision(person: Person) -> Decision:
    return authority.holds_anywhere(person, Power.REGISTRY_MANAGE)


def can_manage(person: Person) -> bool:
    return bool(manage_decision(person))


def require_can_manage(actor: Person) -> Decision:
    """The decision that lets `actor` administer notifications, else AuthorityError."""
    decision = manage_decision(actor)
    if not decision:
        raise AuthorityError(
            _("%(actor)s không có quyền quản trị thông báo: cần quyền “%(power)s”.")
            % {"actor": actor.full_name, "power": authority.power_label(Power.REGISTRY_MANAGE)},
            details={"power": str(Power.REGISTRY_MANAGE)},
        )
    return decision


def webhook_get_for_actor(*, actor: Person, pk: int) -> WebhookEndpoint:
    """The webhook endpoint `pk` for an administrator (AuthorityError for anyone else), else
    NotFoundError."""
    require_can_manage(actor)
    found = WebhookEndpoint.objects.select_related("created_by").filter(pk=pk).first()
    if found is None:
        raise NotFoundError(_("Không tìm thấy điểm nhận webhook."))
    return found


def delivery_get_for_actor(*, actor: Person, pk: int) -> Delivery:
    """The delivery `pk` of the outbox for an administrator (AuthorityError for anyone else),
    else NotFoundError."""
    require_can_manage(actor)
    found = (
        Delivery.objects.select_related("notification", "notification__recipient", "endpoint")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFoundError(_("Không tìm thấy lượt gửi."))
    return found
