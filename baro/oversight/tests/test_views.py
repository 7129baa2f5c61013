"""The oversight pages (/giam-sat/) through Django's test client: who may open each page (200,
else a 403 page or a 404), what each form's success changes (the state and exactly one ledger
event) and how bad input comes back (the Vietnamese message next to its field, nothing written).

Personas and the task: the `ov` fixture (baro/oversight/tests/conftest.py), all with a login:
  boss       HEAD of Hà Nội: assigns to Sở A, urges, decides flags on Sở A (the unit above)
  head       HEAD of Sở A (the flagged, inspected, handled head)
  officer    OFFICER in Phòng A1, the task's officer
  head_b     HEAD of Sở B (beside Sở A: sees none of its oversight)
  inspector  INSPECTOR at Hà Nội (the whole city)
  admin      ADMIN at Hà Nội (the installation's ladder)
  outsider   ADMIN of Hải Phòng (another tree)
The clock is frozen at 08:00 on Monday 02/02/2026 (baro/oversight/tests/conftest.py); the
task is due on Thursday 12/02/2026, before Tết.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from baro.ledger.models import LedgerEvent
from baro.org.models import Person
from baro.oversight import services
from baro.oversight.ladder_pass import run_ladder
from baro.oversight.models import (
    Flag,
    FlagKind,
    FlagStatus,
    HandlingDecision,
    Inspection,
    InspectionEvidence,
    InspectionStatus,
    LadderConfig,
    LadderStep,
    Urging,
    UrgingLetter,
)
from baro.testing.oversight import AFTER, Ov, at, conclude, open_inspection, raise_flag
from baro.work import services as work

pytestmark = pytest.mark.django_db


def client_for(person: Person) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(person.user)
    return client


def events() -> int:
    return LedgerEvent.objects.count()


def html(response: Any) -> str:
    return response.content.decode()


# --------------------------------------------------------------------------------------------
# navigation and the index


def test_nav_shows_oversight_to_heads_inspectors_not_to_officers(ov: Ov) -> None:
    for person in (ov.inspector, ov.head, ov.boss, ov.admin):
        page = html(client_for(person).get(reverse("home")))
        assert reverse("oversight:index") in page, person
    assert reverse("oversight:index") not in html(client_for(ov.officer).get(reverse("home")))
    home = html(client_for(ov.head).get(reverse("home")))
    assert 'id="home-record"' in home and reverse("oversight:record") in home


def test_index_page_for_an_inspector_and_an_officer(ov: Ov) -> None:
    raise_flag(ov)
    page = client_for(ov.inspector).get(reverse("oversight:index"))
    assert page.status_code == 200
    assert 'id="index-flags"' in html(page) and "Lập kế hoạch kiểm tra" in html(page)
    page = client_for(ov.officer).get(reverse("oversight:index"))
    assert page.status_code == 200
    assert 'id="index-flags"' not in html(page)


# --------------------------------------------------------------------------------------------
# flags


def test_flag_list_is_scoped_filtered_counted_and_paginated(ov: Ov, settings: Any) -> None:
    flag = raise_flag(ov)
    other = raise_flag(ov, key="test:2", kind=FlagKind.REPEATED_EXTENSIONS)
    url = reverse("oversight:flag_list")
    page = html(client_for(ov.inspector).get(url))
    assert f'id="flag-{flag.pk}"' in page and f'id="flag-{other.pk}"' in page
    assert "Đùn đẩy: nhiệm vụ bị từ chối, chuyển qua lại" in page
    # The head of Sở A sees flags on his unit; the head beside it and an officer see none.
    assert f'id="flag-{flag.pk}"' in html(client_for(ov.head).get(url))
    assert f'id="flag-{flag.pk}"' not in html(client_for(ov.head_b).get(url))
    officer_page = html(client_for(ov.officer).get(url))
    assert 'id="flags-none"' in officer_page and f'id="flag-{flag.pk}"' not in officer_page
    assert f'id="flag-{flag.pk}"' not in html(client_for(ov.outsider).get(url))

    client = client_for(ov.inspector)
    page = html(client.get(url, {"kind": FlagKind.BOUNCED}))
    assert f'id="flag-{flag.pk}"' in page and f'id="flag-{other.pk}"' not in page
    page = html(client.get(url, {"unit": ov.root.pk}))  # the subtree of Hà Nội
    assert f'id="flag-{flag.pk}"' in page
    page = html(client.get(url, {"unit": ov.dept_b.pk}))
    assert 'id="flags-empty"' in page
    page = html(client.get(url, {"q": "chuyển qua lại"}))
    assert f'id="flag-{flag.pk}"' in page
    page = html(client.get(url, {"date_from": "03/02/2026"}))
    assert 'id="flags-empty"' in page
    # Counts by status: both open; the status filter narrows the list, not the counts.
    page = html(client.get(url, {"status": "confirmed"}))
    assert 'id="flags-empty"' in page
    assert 'data-status="open"' in page and 'Chờ xem xét <span class="badge">2</span>' in page
    settings.BARO_PAGE_SIZE = 1
    page = html(client.get(url))
    assert "Trang 1/2" in page


def test_flag_list_bad_filters_come_back_next_to_the_field(ov: Ov) -> None:
    raise_flag(ov)
    client = client_for(ov.inspector)
    response = client.get(
        reverse("oversight:flag_list"), {"date_from": "10/02/2026", "date_to": "01/02/2026"}
    )
    assert response.status_code == 400
    assert "Ngày kết thúc trước ngày bắt đầu." in html(response)
    response = client.get(reverse("oversight:flag_list"), {"date_from": "31/02/2026"})
    assert response.status_code == 400
    assert "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy." in html(response)


def test_flag_page_shows_evidence_and_offers_the_decision_to_who_may_decide(ov: Ov) -> None:
    flag = raise_flag(ov)
    url = reverse("oversight:flag_detail", args=[flag.pk])
    response = client_for(ov.inspector).get(url)
    assert response.status_code == 200
    page = html(response)
    assert "Nhiệm vụ bị từ chối, chuyển qua lại 3 lần" in page
    assert "Số lần từ chối, chuyển</dt><dd>3" in page and "12/02/2026" in page
    assert f'href="/nhiem-vu/{ov.task.pk}/"' in page
    assert "Giao nhiệm vụ · Chủ Tịch Thành Phố" in page  # the ledger event, readable
    assert "/so-cai/?object_type=work.task" in page  # inspectors read the ledger
    assert 'id="decide-form"' in page and "Lập kế hoạch kiểm tra" in page
    # The head above decides too; the flagged unit's own head reads it without the form.
    assert 'id="decide-form"' in html(client_for(ov.boss).get(url))
    own = client_for(ov.head).get(url)
    assert own.status_code == 200 and 'id="decide-form"' not in html(own)
    assert "/so-cai/" not in html(own).split('id="flag-evidence"')[1]
    for stranger in (ov.head_b, ov.officer, ov.outsider):
        assert client_for(stranger).get(url).status_code == 404


def test_flag_decision_needs_a_reason_and_a_confirmation(ov: Ov) -> None:
    flag = raise_flag(ov)
    url = reverse("oversight:flag_decide", args=[flag.pk])
    client = client_for(ov.inspector)
    before = events()
    response = client.post(url, {"decision": "confirm", "reason": "  "})
    assert response.status_code == 400
    assert "Chưa nhập lý do." in html(response)
    response = client.post(url, {"reason": "Có căn cứ"})
    assert response.status_code == 400 and "Chưa chọn xác nhận hay bác bỏ." in html(response)
    response = client.post(url, {"decision": "confirm", "reason": "Có căn cứ"})
    assert response.status_code == 200 and "Đồng ý, xác nhận" in html(response)
    assert events() == before
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    response = client.post(url, {"decision": "confirm", "reason": "Có căn cứ", "confirmed": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("oversight:flag_detail", args=[flag.pk])
    flag.refresh_from_db()
    assert (flag.status, flag.decided_by, flag.decision_reason) == (
        FlagStatus.CONFIRMED,
        ov.inspector,
        "Có căn cứ",
    )
    assert events() == before + 1
    assert LedgerEvent.objects.order_by("-seq").first().action == "oversight.flag.confirmed"
    page = html(client.get(reverse("oversight:flag_detail", args=[flag.pk])))
    assert "Đã xác nhận" in page and 'id="decide-form"' not in page


def test_flag_decision_is_refused_to_the_flagged_head_and_hidden_from_strangers(ov: Ov) -> None:
    flag = raise_flag(ov)
    url = reverse("oversight:flag_decide", args=[flag.pk])
    data = {"decision": "dismiss", "reason": "Không đúng", "confirmed": "1"}
    before = events()
    assert client_for(ov.head).post(url, data).status_code == 403
    assert client_for(ov.head_b).post(url, data).status_code == 404
    assert client_for(ov.inspector).get(url).status_code == 405
    assert events() == before
    response = client_for(ov.boss).post(url, data)
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED


def test_flag_goes_into_an_open_inspection(ov: Ov) -> None:
    flag = raise_flag(ov)
    inspection = open_inspection(ov)
    page = html(client_for(ov.inspector).get(reverse("oversight:flag_detail", args=[flag.pk])))
    assert 'id="add-form"' in page and inspection.title in page
    url = reverse("oversight:flag_to_inspection", args=[flag.pk])
    before = events()
    response = client_for(ov.inspector).post(url, {"inspection": "999999"})
    assert response.status_code == 400
    assert events() == before
    response = client_for(ov.inspector).post(url, {"inspection": inspection.pk, "note": "Xem"})
    assert response.status_code == 302
    assert response["Location"] == reverse("oversight:inspection_detail", args=[inspection.pk])
    assert InspectionEvidence.objects.get(inspection=inspection).flag == flag
    assert events() == before + 1
    assert client_for(ov.head).post(url, {"inspection": inspection.pk}).status_code == 403


# --------------------------------------------------------------------------------------------
# inspections


def test_planning_an_inspection(ov: Ov) -> None:
    flag = raise_flag(ov)
    url = reverse("oversight:inspection_open")
    client = client_for(ov.inspector)
    page = client.get(url, {"unit": ov.dept_a.pk, "person": ov.head.pk, "flag": flag.pk})
    assert page.status_code == 200
    assert "Kiểm tra việc thực hiện nhiệm vụ được giao tại Sở A" in html(page)
    assert f'<option value="{ov.head.pk}" selected>' in html(page)
    data = {
        "target_unit": ov.dept_a.pk,
        "target_person": ov.head.pk,
        "title": "",
        "period_from": "01/01/2026",
        "period_to": "01/02/2026",
    }
    before = events()
    response = client.post(url + f"?flag={flag.pk}", data)
    assert response.status_code == 400 and "Chưa nhập tên cuộc kiểm tra." in html(response)
    data["title"] = "Kiểm tra Sở A"
    data["period_to"] = "01/12/2025"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "lại trước ngày bắt đầu" in html(response).split('id="field-period_to"')[1]
    data["target_person"] = ov.officer.pk
    data["target_unit"] = ov.dept_b.pk
    data["period_to"] = "01/02/2026"
    response = client.post(url, data)
    assert response.status_code == 400  # the officer is not offered for Sở B
    assert events() == before
    assert not Inspection.objects.exists()
    data["target_unit"] = ov.dept_a.pk
    data["target_person"] = ov.head.pk
    response = client.post(url + f"?flag={flag.pk}", data)
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert response["Location"] == (
        reverse("oversight:inspection_detail", args=[inspection.pk])
        + f"?dau-hieu={flag.pk}#evidence"
    )
    assert (inspection.target_unit, inspection.target_person) == (ov.dept_a, ov.head)
    assert events() == before + 1
    # The evidence form then proposes the flag the inspector came from.
    page = html(client.get(response["Location"]))
    assert f'<option value="{flag.pk}" selected>' in page
    for refused in (ov.head, ov.officer, ov.boss):
        assert client_for(refused).get(url).status_code == 403


def test_people_of_the_chosen_unit_for_the_planning_form(ov: Ov) -> None:
    url = reverse("oversight:inspection_people")
    response = client_for(ov.inspector).get(url, {"target_unit": ov.dept_a.pk})
    assert response.status_code == 200
    assert "Trưởng Sở A" in html(response) and "Chuyên Viên" in html(response)
    assert "Trưởng Sở A" not in html(client_for(ov.head).get(url, {"target_unit": ov.dept_a.pk}))


def test_inspection_list_and_page_are_scoped(ov: Ov) -> None:
    inspection = open_inspection(ov)
    other = open_inspection(ov, unit=ov.dept_b, person=ov.head_b, title="Kiểm tra Sở B")
    url = reverse("oversight:inspection_list")
    page = html(client_for(ov.inspector).get(url))
    assert f'id="inspection-{inspection.pk}"' in page and f'id="inspection-{other.pk}"' in page
    page = html(client_for(ov.head).get(url))
    assert f'id="inspection-{inspection.pk}"' in page and f'id="inspection-{other.pk}"' not in page
    page = html(client_for(ov.inspector).get(url, {"unit": ov.dept_b.pk}))
    assert f'id="inspection-{inspection.pk}"' not in page and f'id="inspection-{other.pk}"' in page
    page = html(client_for(ov.inspector).get(url, {"status": "concluded"}))
    assert 'id="inspections-empty"' in page
    page = html(client_for(ov.inspector).get(url, {"year": "2026"}))
    assert f'id="inspection-{inspection.pk}"' in page

    detail = reverse("oversight:inspection_detail", args=[inspection.pk])
    page = html(client_for(ov.inspector).get(detail))
    assert 'id="evidence-form"' in page and 'id="handling-form"' not in page  # not concluded
    own = client_for(ov.head).get(detail)  # the inspected head reads it, acts on nothing
    assert own.status_code == 200 and 'id="handling-form"' not in html(own)
    for stranger in (ov.head_b, ov.officer, ov.outsider):
        assert client_for(stranger).get(detail).status_code == 404


def test_evidence_findings_conclusion_with_confirmation(ov: Ov) -> None:
    flag = raise_flag(ov)
    inspection = open_inspection(ov)
    client = client_for(ov.inspector)
    evidence = reverse("oversight:inspection_evidence", args=[inspection.pk])
    before = events()
    response = client.post(evidence, {"task": "999999"})
    assert response.status_code == 400 and "Không tìm thấy nhiệm vụ số 999999." in html(response)
    response = client.post(evidence, {"task": "abc"})
    assert response.status_code == 400 and "Số hiệu nhiệm vụ phải là một số" in html(response)
    response = client.post(evidence, {})
    assert response.status_code == 400
    assert "Chọn đúng một dấu hiệu hoặc một nhiệm vụ" in html(response)
    assert events() == before
    assert client.post(evidence, {"task": f"/nhiem-vu/{ov.task.pk}/"}).status_code == 302
    assert client.post(evidence, {"flag": flag.pk}).status_code == 302
    response = client.post(evidence, {"task": str(ov.task.pk)})
    assert response.status_code == 400 and "Chứng cứ này đã có trong cuộc kiểm tra." in html(
        response
    )
    assert events() == before + 2
    page = html(client.get(reverse("oversight:inspection_detail", args=[inspection.pk])))
    assert f'href="/nhiem-vu/{ov.task.pk}/"' in page
    assert reverse("oversight:flag_detail", args=[flag.pk]) in page
    page = html(
        client.get(reverse("oversight:inspection_detail", args=[inspection.pk]), {"tim": "Rà soát"})
    )
    assert f"#{ov.task.pk} Rà soát thủ tục hành chính" in page

    conclude = reverse("oversight:inspection_conclude", args=[inspection.pk])
    response = client.post(conclude, {"conclusion": "Vi phạm"})
    assert response.status_code == 400 and "ghi kết quả trước khi kết luận" in html(response)
    findings = reverse("oversight:inspection_findings", args=[inspection.pk])
    response = client.post(findings, {"findings": ""})
    assert response.status_code == 400 and "Chưa nhập kết quả kiểm tra." in html(response)
    assert client.post(findings, {"findings": "Chậm 3 nhiệm vụ"}).status_code == 302
    response = client.post(conclude, {"conclusion": "Người đứng đầu chịu trách nhiệm"})
    assert response.status_code == 200 and "Kết luận là quyết định cuối cùng" in html(response)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PLANNED
    response = client.post(
        conclude, {"conclusion": "Người đứng đầu chịu trách nhiệm", "confirmed": "1"}
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CONCLUDED
    assert events() == before + 4
    # Concluded: final, the forms are gone and a late post changes nothing.
    page = html(client.get(reverse("oversight:inspection_detail", args=[inspection.pk])))
    assert 'id="conclude-form"' not in page and 'id="evidence-form"' not in page
    response = client.post(findings, {"findings": "Sửa"}, follow=True)
    assert "Cuộc kiểm tra đã kết luận; không sửa được nữa." in html(response)
    assert events() == before + 4
    assert client_for(ov.head).post(findings, {"findings": "Tự sửa"}).status_code == 403


def test_handling_decision_form(ov: Ov) -> None:
    inspection = open_inspection(ov)
    url = reverse("oversight:inspection_handling", args=[inspection.pk])
    client = client_for(ov.inspector)
    # Under way: no handling form, and a stale post is refused next to the form.
    page = html(client.get(reverse("oversight:inspection_detail", args=[inspection.pk])))
    assert 'id="handling-form"' not in page
    stale = {
        "measure": "criticism",
        "person": ov.head.pk,
        "document_number": "15-QĐ/UBKT",
        "document_date": "02/02/2026",
        "reason": "Để nhiệm vụ quá hạn kéo dài",
    }
    response = client.post(url, stale, follow=True)
    assert "Cuộc kiểm tra chưa kết luận; chỉ quyết định xử lý sau khi đã có kết luận." in html(
        response
    )
    assert not HandlingDecision.objects.exists()
    conclude(ov.inspector, inspection)
    page = html(client.get(reverse("oversight:inspection_detail", args=[inspection.pk])))
    for label in ("Nhắc nhở", "Phê bình", "Khiển trách", "Cảnh cáo", "Cách chức, miễn nhiệm"):
        assert f">{label}</option>" in page
    data = {
        "measure": "criticism",
        "person": ov.head.pk,
        "document_number": "",
        "document_date": "02/02/2026",
        "reason": "Để nhiệm vụ quá hạn kéo dài",
    }
    before = events()
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Chưa nhập số văn bản xử lý." in html(response).split('id="field-document_number"')[1]
    data["document_number"] = "15-QĐ/UBKT"
    data["document_date"] = "03/02/2026"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "chưa tới" in html(response).split('id="field-document_date"')[1]
    data["document_date"] = "02/02/2026"
    data["person"] = ov.head_b.pk
    response = client.post(url, data)
    assert response.status_code == 400  # Sở B's head is not offered for Sở A
    assert events() == before and not HandlingDecision.objects.exists()
    assert client_for(ov.head).post(url, {**data, "person": ov.head.pk}).status_code == 403
    data["person"] = ov.head.pk
    response = client.post(url, data)
    assert response.status_code == 302
    handling = HandlingDecision.objects.get()
    assert (handling.person, handling.measure, handling.unit) == (ov.head, "criticism", ov.dept_a)
    assert events() == before + 1
    page = html(client.get(reverse("oversight:inspection_detail", args=[inspection.pk])))
    assert "Phê bình" in page and "Số 15-QĐ/UBKT ngày 02/02/2026" in page


# --------------------------------------------------------------------------------------------
# the responsibility record


def test_the_heads_record_shows_what_concerns_him(ov: Ov, clock: Any) -> None:
    flag = raise_flag(ov)
    inspection = conclude(ov.inspector, open_inspection(ov))
    services.handling_decide(
        actor=ov.inspector,
        inspection=inspection,
        measure="reprimand",
        document_number="20-QĐ/UBKT",
        document_date=dt.date(2026, 2, 2),
        reason="Không chỉ đạo xử lý nhiệm vụ quá hạn",
    )
    clock.move_to(at(AFTER))
    run_ladder(AFTER)
    response = client_for(ov.head).get(reverse("oversight:record"))
    assert response.status_code == 200
    page = html(response)
    assert "Khiển trách" in page and "Số 20-QĐ/UBKT ngày 02/02/2026" in page
    assert inspection.title in page
    assert reverse("oversight:flag_detail", args=[flag.pk]) in page
    assert "Đôn đốc đã nhận: 1 lần" in page  # the head was told once (escalate_head)
    assert 'data-step="escalate_head"><span class="stat__value">1' in page
    # Others: the inspector and the head above read it; the head beside it does not.
    url = reverse("oversight:record_of", args=[ov.head.pk])
    assert client_for(ov.inspector).get(url).status_code == 200
    assert "Khiển trách" in html(client_for(ov.boss).get(url))
    assert client_for(ov.head_b).get(url).status_code == 404
    assert client_for(ov.officer).get(url).status_code == 404
    assert client_for(ov.outsider).get(url).status_code == 404
    # Someone with nothing on record sees an empty record.
    assert 'id="record-empty"' in html(client_for(ov.head_b).get(reverse("oversight:record")))


# --------------------------------------------------------------------------------------------
# the task page's third panel


def test_task_page_loads_the_oversight_panel_by_its_url(ov: Ov) -> None:
    page = html(client_for(ov.boss).get(reverse("work:task_detail", args=[ov.task.pk])))
    assert f'hx-get="/giam-sat/nhiem-vu/{ov.task.pk}/"' in page


def test_task_panel_shows_the_ladder_and_what_was_done(ov: Ov, clock: Any) -> None:
    url = reverse("oversight:task_panel", args=[ov.task.pk])
    response = client_for(ov.boss).get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    panel = html(response)
    assert "<html" not in panel
    assert "Chưa có đôn đốc, kiểm tra hay xử lý nào đối với nhiệm vụ này." in panel
    assert "Nhắc trước hạn</strong> · ngày 09/02/2026" in panel
    assert "Đưa vào diện kiểm tra</strong> · ngày 12/03/2026" in panel
    assert 'id="urge-form"' in panel  # the assigner's head may urge
    assert 'id="urge-form"' not in html(
        client_for(ov.officer).get(url, headers={"HX-Request": "true"})
    )
    assert client_for(ov.head_b).get(url).status_code == 404
    assert "<html" in html(client_for(ov.boss).get(url))  # without htmx: a whole page

    clock.move_to(at(dt.date(2026, 3, 12)))
    run_ladder(dt.date(2026, 3, 12))
    services.task_urge(actor=ov.boss, task=ov.task, note="Hoàn thành trong tuần")
    flag = Flag.objects.get(task=ov.task)
    inspection = open_inspection(ov)
    services.inspection_add_evidence(actor=ov.inspector, inspection=inspection, flag=flag)
    panel = html(client_for(ov.boss).get(url, headers={"HX-Request": "true"}))
    assert 'id="oversight-empty"' not in panel
    assert panel.count("Đã thực hiện") == 4  # no late reminder after the deadline
    assert "Chủ Tịch Thành Phố</strong>: Hoàn thành trong tuần" in panel
    assert reverse("oversight:flag_detail", args=[flag.pk]) in panel
    assert reverse("oversight:inspection_detail", args=[inspection.pk]) in panel
    # The officer reads the urgings, but not the flags and inspections.
    officer = html(client_for(ov.officer).get(url, headers={"HX-Request": "true"}))
    assert "Hoàn thành trong tuần" in officer
    assert reverse("oversight:flag_detail", args=[flag.pk]) not in officer


def test_an_undecided_dispute_is_chased_on_the_task_panel_and_the_deciders_record(
    ov: Ov, clock: Any
) -> None:
    work.task_refuse(actor=ov.head, task=ov.task, reason="Thuộc Sở B", proposed_unit=ov.dept_b)
    clock.move_to(at(dt.date(2026, 2, 6)))  # the city's decision was due on 05/02/2026
    run_ladder(dt.date(2026, 2, 6))
    url = reverse("oversight:task_panel", args=[ov.task.pk])
    panel = html(client_for(ov.boss).get(url, headers={"HX-Request": "true"}))
    disputes = panel.split('id="oversight-disputes"')[1].split("</ul>")[0]
    assert "Đôn đốc quyết định tranh chấp quá hạn" in disputes
    assert "hạn quyết định 05/02/2026" in disputes and "Chủ Tịch Thành Phố" in disputes
    assert 'id="oversight-earlier"' not in panel
    record = html(client_for(ov.boss).get(reverse("oversight:record")))
    stat = record.split('data-step="dispute_urge"')[1].split("</li>")[0]
    assert '<span class="stat__value">1</span>' in stat


def test_urging_by_hand(ov: Ov) -> None:
    url = reverse("oversight:task_urge", args=[ov.task.pk])
    client = client_for(ov.boss)
    assert client.get(url).status_code == 200
    before = events()
    response = client.post(url, {"note": " "})
    assert response.status_code == 400 and "Chưa nhập nội dung đôn đốc." in html(response)
    assert events() == before
    assert client_for(ov.officer).post(url, {"note": "Tự đôn đốc"}).status_code == 403
    assert client_for(ov.head_b).post(url, {"note": "x"}).status_code == 404
    response = client.post(url, {"note": "Báo cáo tiến độ trước thứ Sáu"})
    assert response.status_code == 302
    assert response["Location"] == reverse("work:task_detail", args=[ov.task.pk])
    urging = Urging.objects.get(step=LadderStep.MANUAL)
    assert (urging.urged_by, urging.note) == (ov.boss, "Báo cáo tiến độ trước thứ Sáu")
    assert events() == before + 1
    work.task_cancel(actor=ov.boss, task=ov.task, reason="Không còn cần thiết")
    assert client.post(url, {"note": "Muộn"}).status_code == 403


# --------------------------------------------------------------------------------------------
# urging letters


def _letter_data(ov: Ov, **overrides: Any) -> dict[str, Any]:
    data = {
        "issuing_unit": ov.dept_a.pk,
        "tasks": [ov.task.pk],
        "number_symbol": "1/ĐĐ-SO-A",
        "place": "Hà Nội",
        "issued_on": "03/03/2026",
        "subject": "V/v đôn đốc thực hiện nhiệm vụ được giao",
        "opening": "Thực hiện Chỉ thị số 24-CT/TU",
        "closing": "Đề nghị khẩn trương hoàn thành.",
        "reply_by": "10/03/2026",
        "signer": ov.head.pk,
        "signer_mark": "",
        "signer_authority": "",
        "signer_position": "GIÁM ĐỐC",
        "recipients": "- Như trên;\n- Lưu: VT.",
    }
    data.update(overrides)
    return data


def test_composing_and_issuing_an_urging_letter(ov: Ov, clock: Any) -> None:
    clock.move_to(at(AFTER))
    url = reverse("oversight:letter_compose")
    client = client_for(ov.head)
    response = client.get(url)
    assert response.status_code == 200
    page = html(response)
    assert 'value="1/ĐĐ-SO-A"' in page  # the unit's first letter this year
    assert 'value="Hà Nội"' in page  # from "Thành phố Hà Nội"
    assert 'value="03/03/2026"' in page
    assert "V/v đôn đốc thực hiện nhiệm vụ được giao" in page
    assert "Chỉ thị số 24-CT/TU ngày 07/08/2023" in page
    assert f'value="{ov.task.pk}" id="task-{ov.task.pk}" checked' in page  # overdue: ticked
    before = events()
    response = client.post(url, _letter_data(ov, tasks=[]))
    assert response.status_code == 400
    assert "Chưa chọn nhiệm vụ nào để đôn đốc." in html(response).split('id="field-tasks"')[1]
    response = client.post(url, _letter_data(ov, reply_by="01/03/2026"))
    assert response.status_code == 400
    assert "Hạn báo cáo (01/03/2026)" in html(response).split('id="field-reply_by"')[1]
    response = client.post(url, _letter_data(ov, number_symbol=""))
    assert response.status_code == 400 and "Chưa nhập số, ký hiệu văn bản." in html(response)
    # Ticked "tasks" no form offers ("²" is a digit to isdigit(), not to int(); past 64 bits).
    response = client.post(url, _letter_data(ov, tasks=["²", str(2**63)]))
    assert response.status_code == 400
    assert events() == before and not UrgingLetter.objects.exists()
    response = client.post(url, _letter_data(ov))
    assert response.status_code == 302
    letter = UrgingLetter.objects.get()
    assert response["Location"] == reverse("oversight:letter_detail", args=[letter.pk])
    assert events() == before + 1
    assert Urging.objects.get(letter=letter).task == ov.task
    # The next letter is proposed the next number; the same number again is refused.
    assert 'value="2/ĐĐ-SO-A"' in html(client.get(url))
    response = client.post(url, _letter_data(ov))
    assert response.status_code == 400 and "đã dùng cho một công văn khác" in html(response)
    assert client_for(ov.officer).get(url).status_code == 403


def test_letter_page_list_and_downloads(ov: Ov, clock: Any, monkeypatch: Any) -> None:
    clock.move_to(at(AFTER))
    assert (
        client_for(ov.head).post(reverse("oversight:letter_compose"), _letter_data(ov)).status_code
        == 302
    )
    letter = UrgingLetter.objects.get()
    url = reverse("oversight:letter_detail", args=[letter.pk])
    page = html(client_for(ov.head).get(url))
    assert "Công văn đôn đốc số 1/ĐĐ-SO-A" in page and ov.task.title in page
    assert reverse("oversight:letter_docx", args=[letter.pk]) in page
    assert reverse("oversight:letter_pdf", args=[letter.pk]) in page
    # The urged officer, the inspector and the head above read it; the head beside does not.
    for reader in (ov.officer, ov.inspector, ov.boss):
        assert client_for(reader).get(url).status_code == 200, reader
    assert client_for(ov.head_b).get(url).status_code == 404
    assert client_for(ov.outsider).get(url).status_code == 404
    listing = html(client_for(ov.officer).get(reverse("oversight:letter_list")))
    assert f'id="letter-{letter.pk}"' in listing
    assert 'id="letters-empty"' in html(client_for(ov.head_b).get(reverse("oversight:letter_list")))

    docx = client_for(ov.head).get(reverse("oversight:letter_docx", args=[letter.pk]))
    assert docx.status_code == 200
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert docx["Content-Disposition"] == ('attachment; filename="cong-van-don-doc-1-DD-SO-A.docx"')
    assert docx.content[:2] == b"PK"
    assert (
        client_for(ov.head_b).get(reverse("oversight:letter_docx", args=[letter.pk])).status_code
        == 404
    )

    from baro.oversight import letters

    def unavailable(content: Any) -> bytes:
        raise letters.LetterUnavailable()

    monkeypatch.setattr(letters, "letter_pdf", unavailable)
    response = client_for(ov.head).get(
        reverse("oversight:letter_pdf", args=[letter.pk]), follow=True
    )
    assert response.status_code == 200
    assert "Máy chủ chưa cài thư viện Pango để xuất PDF" in html(response)


def test_letter_pdf_when_the_engine_is_there(ov: Ov, clock: Any) -> None:
    from baro.oversight import letters

    if not letters.weasyprint_available():
        pytest.skip("WeasyPrint cannot load on this machine")
    clock.move_to(at(AFTER))
    client_for(ov.head).post(reverse("oversight:letter_compose"), _letter_data(ov))
    letter = UrgingLetter.objects.get()
    response = client_for(ov.head).get(reverse("oversight:letter_pdf", args=[letter.pk]))
    assert response.status_code == 200 and response.content[:4] == b"%PDF"


# --------------------------------------------------------------------------------------------
# the ladder


def test_installation_ladder_page(ov: Ov) -> None:
    url = reverse("oversight:ladder")
    client = client_for(ov.admin)
    page = html(client.get(url))
    assert 'id="ladder-default"' in page
    assert "Nhắc cán bộ xử lý trước hạn 3 ngày làm việc." in page
    assert 'name="inspection_flag_after" value="15"' in page
    data = {
        "remind_days_before": "2",
        "escalate_head_after": "4",
        "escalate_assigner_head_after": "4",
        "inspection_flag_after": "10",
    }
    before = events()
    response = client.post(url, data)
    assert response.status_code == 400
    field = html(response).split('id="field-escalate_assigner_head_after"')[1]
    assert "Các bước chồng lên nhau" in field.split('id="field-inspection_flag_after"')[0]
    response = client.post(url, {**data, "escalate_assigner_head_after": "bảy"})
    assert response.status_code == 400 and "phải là số ngày làm việc" in html(response)
    response = client.post(url, {**data, "remind_days_before": "0"})
    assert response.status_code == 400 and "phải từ 1 ngày làm việc trở lên" in html(response)
    assert events() == before and not LadderConfig.objects.exists()
    response = client.post(url, {**data, "escalate_assigner_head_after": "6"})
    assert response.status_code == 302
    assert LadderConfig.objects.get().escalate_assigner_head_after == 6
    assert events() == before + 1
    assert "Nhắc cán bộ xử lý trước hạn 2 ngày làm việc." in html(client.get(url))
    for refused in (ov.head, ov.inspector, ov.boss):
        assert client_for(refused).get(url).status_code == 403


def test_directive_ladder_page_linked_for_the_issuing_side(ov: Ov) -> None:
    directive_page = reverse("work:directive_detail", args=[ov.directive.pk])
    url = reverse("oversight:ladder_directive", args=[ov.directive.pk])
    assert url in html(client_for(ov.boss).get(directive_page))
    assert url not in html(client_for(ov.head).get(directive_page))
    page = html(client_for(ov.boss).get(url))
    assert "Văn bản chưa có thang riêng" in page
    data = {
        "remind_days_before": "1",
        "escalate_head_after": "1",
        "escalate_assigner_head_after": "2",
        "inspection_flag_after": "3",
    }
    response = client_for(ov.boss).post(url, data)
    assert response.status_code == 302
    assert LadderConfig.objects.get().scope == f"directive:{ov.directive.pk}"
    # The task of that directive now follows the directive's own ladder.
    panel = html(
        client_for(ov.boss).get(
            reverse("oversight:task_panel", args=[ov.task.pk]), headers={"HX-Request": "true"}
        )
    )
    assert "Theo thang riêng của văn bản chỉ đạo." in panel
    assert "Đưa vào diện kiểm tra</strong> · ngày 24/02/2026" in panel
    assert client_for(ov.head).get(url).status_code == 403
    assert client_for(ov.outsider).get(url).status_code == 404


# --------------------------------------------------------------------------------------------
# list pages read a fixed number of queries, whatever the number of rows


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_do_not_read_row_by_row(ov: Ov) -> None:
    raise_flag(ov)
    open_inspection(ov)
    client = client_for(ov.inspector)
    urls = [reverse("oversight:flag_list"), reverse("oversight:inspection_list")]
    first = [_queries(client, url) for url in urls]
    for n in range(2, 6):
        raise_flag(ov, key=f"more:{n}")
        open_inspection(ov, title=f"Kiểm tra lần {n}")
    assert [_queries(client, url) for url in urls] == first
