"""Forms of the cascade pages. They parse and check shapes; the services decide the rest (a
refusal goes back next to its field through baro.core.pages.attach_error)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from baro.cascade.models import DeploymentForm
from baro.core.inputs import LONG_TEXT_MAX
from baro.core.timeutil import today
from baro.org.forms import _date
from baro.org.models import Unit, UnitKind

# The quick choices of the send page: every candidate of one kind in one tick.
QUICK_KINDS = {
    UnitKind.COMMUNE: _("Tất cả xã, phường, đặc khu"),
    UnitKind.DEPARTMENT: _("Tất cả sở, ban, ngành"),
}


def _grouped(units: Sequence[Unit]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Checkbox choices grouped by unit kind, in the order of UnitKind."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for unit in units:
        groups[unit.kind].append((str(unit.pk), unit.name))
    return [(str(label), groups[kind]) for kind, label in UnitKind.choices if groups[kind]]


class UnitsForm(forms.Form):
    """Receiving units chosen among `candidates` (ticked one by one, or a whole kind at once)."""

    units = forms.MultipleChoiceField(
        label=_("Đơn vị nhận"), required=False, widget=forms.CheckboxSelectMultiple
    )
    quick = forms.MultipleChoiceField(
        label=_("Chọn nhanh"), required=False, widget=forms.CheckboxSelectMultiple
    )
    sent_on = _date(_("Ngày gửi"), help_text=_("Để trống nếu gửi hôm nay. Dạng dd/mm/yyyy."))

    def __init__(self, *args: Any, candidates: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        self.fields["units"].choices = _grouped(self.candidates)
        kinds = {unit.kind for unit in self.candidates}
        quick = [
            (kind, f"{label} ({sum(1 for u in self.candidates if u.kind == kind)})")
            for kind, label in QUICK_KINDS.items()
            if kind in kinds
        ]
        if quick:
            self.fields["quick"].choices = quick
        else:
            del self.fields["quick"]

    def chosen_units(self) -> list[Unit]:
        """The ticked units and those of the ticked kinds, in the registry's order."""
        ids = {int(pk) for pk in self.cleaned_data.get("units") or []}
        kinds = set(self.cleaned_data.get("quick") or [])
        return [u for u in self.candidates if u.pk in ids or u.kind in kinds]


class PlanForm(forms.Form):
    number_symbol = forms.CharField(
        label=_("Số, ký hiệu kế hoạch"),
        max_length=80,
        help_text=_("Ví dụ 15-KH/ĐU hoặc 120/KH-UBND."),
        error_messages={"required": _("Chưa nhập số, ký hiệu kế hoạch.")},
    )
    issued_on = _date(_("Ngày ban hành"), required=True)
    title = forms.CharField(
        label=_("Trích yếu"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Chưa nhập trích yếu kế hoạch.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"issued_on": today()})
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].error_messages["required"] = _("Chưa nhập ngày ban hành.")


class DeploymentRecordForm(forms.Form):
    deployed_on = _date(_("Ngày quán triệt, triển khai"), required=True)
    form = forms.ChoiceField(
        label=_("Hình thức"),
        choices=DeploymentForm.choices,
        error_messages={"required": _("Chưa chọn hình thức.")},
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Thành phần dự, số cán bộ vắng mặt và hình thức quán triệt bù…"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"deployed_on": today()})
        super().__init__(*args, **kwargs)
        self.fields["deployed_on"].error_messages["required"] = _(
            "Chưa nhập ngày quán triệt, triển khai."
        )
