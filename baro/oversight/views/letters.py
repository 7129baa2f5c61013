"""The urging letters' pages ("Công văn đôn đốc"): the list, composing one (the overdue tasks of
the issuing unit's subtree, its number, place, opening and signer proposed), reading one, and
downloading it as .docx or .pdf (baro.oversight.letters renders both)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from baro.core.ids import id_from_text
from baro.core.pages import form_command, person_required
from baro.core.timeutil import today
from baro.org.models import Person, Role, Unit
from baro.oversight import forms, permissions, queries, services
from baro.oversight import letters as documents
from baro.oversight.views.common import crumbs, page_size

SUBJECT = gettext_lazy("V/v đôn đốc thực hiện nhiệm vụ được giao")
CLOSING = gettext_lazy(
    "Đề nghị các đơn vị khẩn trương tập trung chỉ đạo, hoàn thành dứt điểm các nhiệm vụ nêu "
    "trên; làm rõ nguyên nhân chậm trễ và trách nhiệm của tập thể, cá nhân, người đứng đầu có "
    "liên quan."
)


@person_required
def letter_list(request: HttpRequest, person: Person) -> HttpResponse:
    units = queries.letter_units(person)
    form = forms.LetterFilterForm(
        request.GET or None,
        units=queries.letter_filter_units(person),
    )
    letters = queries.letter_list(actor=person, filters=form.filters())
    page = Paginator(letters, page_size()).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/letter_list.html",
        {
            "form": form,
            "page_obj": page,
            "may_issue": bool(units),
            "breadcrumbs": crumbs((_("Công văn đôn đốc"), "")),
            "nav_active": "oversight",
        },
        status=400 if form.errors else 200,
    )


def _chosen_letter_unit(units: list[Unit], raw: str | None) -> Unit:
    by_id = {u.pk: u for u in units}
    return by_id.get(id_from_text(raw or "") or 0, units[0])


def _signer_defaults(unit: Unit, signer: Person) -> dict[str, str]:
    """The mark and position a signer of `unit` prints: a deputy signs "KT." for the head."""
    own, head = queries.signer_positions(unit, signer)
    if own is None:
        return {"signer_mark": "", "signer_authority": "", "signer_position": ""}
    position = (own.title or own.get_role_display()).upper()
    if own.role == Role.DEPUTY:
        head_title = (head.title if head and head.title else _("Người đứng đầu")).upper()
        return {"signer_mark": "KT.", "signer_authority": head_title, "signer_position": position}
    return {"signer_mark": "", "signer_authority": "", "signer_position": position}


def _recipients_default(number_symbol: str) -> str:
    """'- Như trên;' (the units of 'Kính gửi') and '- Lưu: VT, <division>.' (NĐ 30/2020)."""
    return documents.standard_recipients("", number_symbol)


@person_required
def letter_compose(request: HttpRequest, person: Person) -> HttpResponse:
    units = queries.letter_units(person)
    if not units:
        raise PermissionDenied(
            _("%(name)s không phải lãnh đạo đơn vị nào, không ban hành được công văn đôn đốc.")
            % {"name": person.full_name}
        )
    data = request.POST if request.method == "POST" else None
    source = data if data is not None else request.GET
    unit = _chosen_letter_unit(units, source.get("issuing_unit") or request.GET.get("unit"))
    # No form cleans this search box: drop NUL, which PostgreSQL cannot compare.
    text = (source.get("q") or "").replace("\x00", "").strip()
    every_open = source.get("tat-ca") == "1"
    listed = list(
        queries.letter_candidate_tasks(unit, text=text, overdue_only=not every_open)[
            : queries.CHOICE_LIMIT
        ]
    )
    capped = len(listed) == queries.CHOICE_LIMIT
    if data is not None:
        posted = [pk for pk in map(id_from_text, data.getlist("tasks")) if pk is not None]
        known = {t.pk for t in listed}
        listed += list(
            queries.letter_candidate_tasks(unit, overdue_only=False).filter(
                pk__in=[pk for pk in posted if pk not in known]
            )
        )
    signers = queries.letter_signers(unit, person)
    day = today()
    initial: dict[str, Any] = {
        "issuing_unit": unit.pk,
        "tasks": [str(t.pk) for t in listed] if not text else [],
        "number_symbol": queries.next_letter_number(unit, day),
        "place": queries.default_letter_place(unit),
        "issued_on": day,
        "subject": SUBJECT,
        "opening": queries.default_letter_opening(listed, unit),
        "closing": CLOSING,
        "reply_by": forms.default_reply_by(day),
        "signer": signers[0][0].pk if signers else None,
        "recipients": _recipients_default(queries.next_letter_number(unit, day)),
        **(_signer_defaults(unit, signers[0][0]) if signers else {}),
    }
    form = forms.LetterForm(data, tasks=listed, signers=signers, initial=initial)
    if data is not None and form.is_valid():
        signer = form.signer_rows[int(form.cleaned_data["signer"])]
        draft = services.LetterDraft(
            issuing_unit=unit,
            number_symbol=form.cleaned_data["number_symbol"],
            place=form.cleaned_data["place"],
            issued_on=form.cleaned_data["issued_on"],
            subject=form.cleaned_data["subject"],
            opening=form.cleaned_data["opening"],
            closing=form.cleaned_data["closing"],
            reply_by=form.cleaned_data["reply_by"],
            signer=signer,
            signer_mark=form.signer_mark_text(),
            signer_position=form.cleaned_data["signer_position"],
            recipients=form.cleaned_data["recipients"],
        )
        letter = form_command(
            form,
            services.urging_letter_issue,
            actor=person,
            draft=draft,
            tasks=form.chosen_tasks(),
        )
        if letter is not None:
            messages.success(
                request,
                _("Đã ban hành công văn đôn đốc số %(number)s.") % {"number": letter.number_symbol},
            )
            return redirect("oversight:letter_detail", letter.pk)
    title = _("Soạn công văn đôn đốc")
    return render(
        request,
        "oversight/letter_compose.html",
        {
            "form": form,
            "unit": unit,
            "units": units,
            "rows": listed,
            "checked": {str(v) for v in form["tasks"].value() or []},
            "capped": capped,
            "text": text,
            "every_open": every_open,
            "today": day,
            "page_title": title,
            "breadcrumbs": crumbs(
                (_("Công văn đôn đốc"), reverse("oversight:letter_list")), (title, "")
            ),
            "nav_active": "oversight",
        },
        status=400 if form.errors else 200,
    )


@person_required
def letter_detail(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    letter = permissions.letter_get_for_actor(person, pk)
    urgings = queries.letter_urgings(letter)
    return render(
        request,
        "oversight/letter_detail.html",
        {
            "letter": letter,
            "urgings": urgings,
            "recipients": [line for line in letter.recipients.splitlines() if line.strip()],
            "breadcrumbs": crumbs(
                (_("Công văn đôn đốc"), reverse("oversight:letter_list")),
                (letter.number_symbol, ""),
            ),
            "nav_active": "oversight",
        },
    )


@require_GET
@person_required
def letter_docx(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    letter = permissions.letter_get_for_actor(person, pk)
    return documents.letter_download(queries.letter_content(letter), "docx")


@require_GET
@person_required
def letter_pdf(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    letter = permissions.letter_get_for_actor(person, pk)
    try:
        return documents.letter_download(queries.letter_content(letter), "pdf")
    except documents.LetterUnavailable as unavailable:  # the .docx is still there
        messages.error(request, unavailable.message)
        return redirect("oversight:letter_detail", letter.pk)
