"""Who may administer notifications: webhooks and the outbox of deliveries.

Webhook endpoints receive every notification of the installation, and the outbox shows every
recipient's address, so both belong to the administrators of the registry: whoever holds
registry.manage over some unit (an ADMIN position, or a delegation of it).
"""

from __future__ import annotations

from baro.core.errors import AuthorityError
from baro.org import authority
from baro.org.authority import Decision, Power
from baro.org.models import Person

__all__ = ["can_manage", "manage_decision", "require_can_manage"]


def manage_decision(person: Person) -> Decision:
    return authority.holds_anywhere(person, Power.REGISTRY_MANAGE)


def can_manage(person: Person) -> bool:
    return bool(manage_decision(person))


def require_can_manage(actor: Person) -> Decision:
    """The decision that lets `actor` administer notifications, else AuthorityError."""
    decision = manage_decision(actor)
    if not decision:
        raise AuthorityError(
            f"{actor.full_name} không có quyền quản trị thông báo: cần quyền "
            f"“{authority.power_label(Power.REGISTRY_MANAGE)}”.",
            details={"power": str(Power.REGISTRY_MANAGE)},
        )
    return decision
