"""The organisation registry: units, people, their positions and delegations.

Units form a tree stored as a materialised path, so subtree and ancestor queries are one
indexed query each at any size. Units, positions and delegations are time-versioned: rows are
closed (valid_to) rather than deleted, so who was head of what, when, stays answerable.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Each path segment is the unit's id, zero-padded so that paths sort like the tree.
PATH_SEGMENT_WIDTH = 10
PATH_SEPARATOR = "."


class UnitKind(models.TextChoices):
    CENTRAL = "central", _("Cơ quan Trung ương")
    PROVINCE = "province", _("Tỉnh, thành phố")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    DISTRICT = "district", _("Quận, huyện (trước 01/7/2025)")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    COMMUNE = "commune", _("Xã, phường, đặc khu")
    DIVISION = "division", _("Phòng, ban chuyên môn")
    PARTY_COMMITTEE = "party_committee", _("Cấp ủy Đảng")
    FATHERLAND_FRONT = "fatherland_front", _("Mặt trận Tổ quốc")
    SOCIO_POLITICAL = "socio_political", _("Tổ chức chính trị - xã hội")
    OTHER = "other", _("Đơn vị khác")


class UnitSystem(models.TextChoices):
    """The part of the political system a unit belongs to (khối): who may direct whom depends
    on it (baro.work.lines). A division or an "other" unit belongs to its superior's."""

    WHOLE = "whole", _("Hệ thống chính trị cấp tỉnh, Trung ương")
    GOVERNMENT = "government", _("Cơ quan nhà nước")
    PARTY = "party", _("Tổ chức Đảng")
    FRONT = "front", _("Mặt trận Tổ quốc")
    SOCIO_POLITICAL = "socio_political", _("Tổ chức chính trị - xã hội")


# The system each kind of unit belongs to; the kinds left out (a division, "other") take their
# nearest superior's, and a root of such a kind counts as government. A province or the
# central level, as a unit, is the whole political system there (its leadership directs every
# part of it), not one of its parts.
KIND_SYSTEM: dict[str, str] = {
    UnitKind.CENTRAL: UnitSystem.WHOLE,
    UnitKind.PROVINCE: UnitSystem.WHOLE,
    UnitKind.PEOPLES_COMMITTEE: UnitSystem.GOVERNMENT,
    UnitKind.DISTRICT: UnitSystem.GOVERNMENT,
    UnitKind.DEPARTMENT: UnitSystem.GOVERNMENT,
    UnitKind.COMMUNE: UnitSystem.GOVERNMENT,
    UnitKind.PARTY_COMMITTEE: UnitSystem.PARTY,
    UnitKind.FATHERLAND_FRONT: UnitSystem.FRONT,
    UnitKind.SOCIO_POLITICAL: UnitSystem.SOCIO_POLITICAL,
}


class Unit(models.Model):
    """A unit of the political system: a province, a department, a commune, a division…

    path   ids from the root down to this unit, each zero-padded, joined and ended by "."
           ("0000000001.0000000007."); a subtree is every path starting with this one
    depth  0 for a root
    valid_from / valid_to   the unit exists on [valid_from, valid_to); valid_to is set when it
           is dissolved or merged, never by deleting the row
    """

    code = models.CharField("mã đơn vị", max_length=40, unique=True)
    name = models.CharField("tên đơn vị", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=80, blank=True, default="")
    kind = models.CharField("loại đơn vị", max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0)
    mandate = models.TextField("chức năng, nhiệm vụ", blank=True, default="")
    address = models.CharField("địa chỉ", max_length=255, blank=True, default="")
    valid_from = models.DateField("hiệu lực từ")
    valid_to = models.DateField("hết hiệu lực từ", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]
        indexes = [
            # Covers "the subtree valid on a day": counting a province-sized subtree reads
            # only this index, never the table.
            models.Index(fields=["path", "valid_from", "valid_to"], name="org_unit_subtree_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="org_unit_valid_range",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="org_unit_not_own_parent"
            ),
        ]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to and including this unit, read from the path."""
        return [int(segment) for segment in self.path.split(PATH_SEPARATOR) if segment]


class SuccessionKind(models.TextChoices):
    MERGED = "merged", _("Hợp nhất, sáp nhập")
    SPLIT = "split", _("Chia tách")
    RENAMED = "renamed", _("Đổi tên")
    DISSOLVED = "dissolved", _("Giải thể, chuyển giao nhiệm vụ")


class UnitSuccession(models.Model):
    """A dissolved or merged unit's successor, so older tasks and scores carry over."""

    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessions")
    kind = models.CharField(max_length=16, choices=SuccessionKind.choices)
    effective_on = models.DateField()
    decision_ref = models.CharField(max_length=255, blank=True, default="")
    note = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="org_succession_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="org_succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Person(models.Model):
    """An official, an employee or a member; `is_system` marks Baro's own actor for the worker."""

    full_name = models.CharField("họ và tên", max_length=160)
    code = models.CharField("mã cán bộ", max_length=40, unique=True)
    email = models.EmailField("thư điện tử", blank=True, default="")
    phone = models.CharField("điện thoại", max_length=32, blank=True, default="")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="person",
    )
    is_system = models.BooleanField(default=False)
    is_active = models.BooleanField("đang công tác", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = "cán bộ"
        verbose_name_plural = "cán bộ"

    def __str__(self) -> str:
        return self.full_name

    @property
    def ledger_ref(self) -> str:
        return f"system:{self.code}" if self.is_system else f"person:{self.pk}"


class Role(models.TextChoices):
    HEAD = "head", _("Người đứng đầu")
    # "Cấp phó" alone is the "Deputies" heading of the unit overview; the role is one person.
    DEPUTY = "deputy", pgettext_lazy("role", "Cấp phó")
    OFFICER = "officer", _("Chuyên viên")
    SECRETARIAT = "secretariat", _("Văn thư, tổng hợp")
    INSPECTOR = "inspector", _("Kiểm tra, thanh tra")
    FRONT_SUPERVISOR = "front_supervisor", _("Giám sát (MTTQ)")
    ADMIN = "admin", _("Quản trị hệ thống")


class Position(models.Model):
    """A person's role in a unit over [valid_from, valid_to). Ended, never deleted."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="positions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="positions")
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    title = models.CharField("chức danh", max_length=160, blank=True, default="")
    valid_from = models.DateField("từ ngày")
    valid_to = models.DateField("đến ngày", null=True, blank=True)
    decision_ref = models.CharField("quyết định", max_length=255, blank=True, default="")
    end_reason = models.CharField("lý do kết thúc", max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "role", "person__full_name"]
        constraints = [
            # The database itself refuses a second current head of a unit.
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(role="head", valid_to__isnull=True),
                name="org_one_current_head_per_unit",
            ),
            models.UniqueConstraint(
                fields=["person", "unit", "role"],
                condition=Q(valid_to__isnull=True),
                name="org_one_current_role_per_person_unit",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="org_position_valid_range",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "valid_to"], name="org_position_person_idx"),
            models.Index(fields=["unit", "role", "valid_to"], name="org_position_unit_role_idx"),
        ]
        verbose_name = "chức vụ"
        verbose_name_plural = "chức vụ"

    def __str__(self) -> str:
        return f"{self.person} — {self.title or self.get_role_display()}, {self.unit}"

    def is_active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class Delegation(models.Model):
    """Ủy quyền: `delegator` lets `delegate` use some of their powers over `unit`'s subtree.

    Counts only inside [valid_from, valid_to), while not revoked, and while the delegator still
    holds each power; an action under it records both the delegate and the delegator.
    """

    delegator = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="delegations_given"
    )
    delegate = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="delegations_received"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="delegations")
    powers = models.JSONField("quyền được ủy quyền", default=list)
    valid_from = models.DateTimeField("từ")
    valid_to = models.DateTimeField("đến")
    reason = models.TextField("lý do")
    decision_ref = models.CharField("văn bản ủy quyền", max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gt=models.F("valid_from")),
                name="org_delegation_valid_range",
            ),
            models.CheckConstraint(
                condition=~Q(delegator=models.F("delegate")), name="org_delegation_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["delegate", "valid_to"], name="org_delegation_delegate_idx"),
        ]
        verbose_name = "ủy quyền"
        verbose_name_plural = "ủy quyền"

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate} ({self.unit})"


class ApiToken(models.Model):
    """A bearer token for an integration, acting as `person`. Only its SHA-256 is stored."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=120)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


SYSTEM_PERSON_CODE = "baro-system"


def system_person() -> Person:
    """Baro's own actor (made by migration 0002): the worker and set-up act as it."""
    return Person.objects.get(code=SYSTEM_PERSON_CODE, is_system=True)
