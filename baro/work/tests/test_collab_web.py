"""The collaboration panels on the task page, their actions and the API endpoints."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from baro.org import services as org_services
from baro.org.models import Person
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.work import WorkWorld, assign
from baro.work import services
from baro.work.models import Attachment, GuidanceRequest, InputRequest, Task

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def client_for(person: Person) -> Client:
    """A signed-in browser for `person` (test arrangement: the `ww` personas have no account)."""
    if person.user is None:
        user = get_user_model().objects.create(username=f"u{person.pk}")
        Person.objects.filter(pk=person.pk).update(user=user)
        person.refresh_from_db()
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(person.user)
    return client


def bearer(person: Person) -> Client:
    _, raw = org_services.api_token_issue(actor=person, person=person, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post_json(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def in_progress(ww: WorkWorld) -> Task:
    task = assign(ww, officer=ww.w.officer, coordinators=[(ww.dept_b, "Góp ý", None)])
    return services.task_accept(actor=ww.w.head, task=task)


# --------------------------------------------------------------------------------------------
# pages


def test_panels_show_only_the_allowed_actions(ww: WorkWorld) -> None:
    task = in_progress(ww)
    row = services.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="Ý kiến?")
    services.guidance_request(actor=ww.w.head, task=task, question="Xin chỉ đạo?")
    lead = client_for(ww.w.head).get(f"/nhiem-vu/{task.pk}/").content.decode()
    assert 'id="panel-inputs"' in lead and "Xin ý kiến đơn vị phối hợp" in lead
    assert f"/nhiem-vu/{task.pk}/tep-dinh-kem/" in lead
    assert f"/nhiem-vu/{task.pk}/nhiem-vu-con/" in lead  # Sở A's head may split
    assert f"/xin-y-kien-phoi-hop/{row.pk}/tra-loi/" not in lead  # not the lead's to answer
    coordinator = client_for(ww.head_b).get(f"/nhiem-vu/{task.pk}/").content.decode()
    assert f"/xin-y-kien-phoi-hop/{row.pk}/tra-loi/" in coordinator
    assert f"/nhiem-vu/{task.pk}/xin-y-kien-phoi-hop/" not in coordinator
    assert f"/nhiem-vu/{task.pk}/nhiem-vu-con/" not in coordinator
    city = client_for(ww.city_deputy).get(f"/nhiem-vu/{task.pk}/").content.decode()
    assert "/xin-y-kien-chi-dao/" in city and "Thuộc thẩm quyền" not in city


def test_ask_answer_and_mark_through_the_pages(ww: WorkWorld) -> None:
    task = in_progress(ww)
    lead = client_for(ww.w.head)
    seq = last_seq()
    response = lead.post(
        f"/nhiem-vu/{task.pk}/xin-y-kien-phoi-hop/",
        {"unit": ww.dept_b.pk, "question": "Cho ý kiến dự thảo", "due_on": ""},
    )
    assert response.status_code == 302 and response["Location"].endswith("#panel-inputs")
    assert one_new_event(seq).action == "work.input.requested"
    row = InputRequest.objects.get()
    response = client_for(ww.head_b).post(
        f"/nhiem-vu/xin-y-kien-phoi-hop/{row.pk}/tra-loi/", {"position": "disagree", "answer": ""}
    )
    assert response.status_code == 400
    assert "không đồng ý hoặc đề nghị sửa đổi phải nêu rõ" in response.content.decode()
    response = client_for(ww.head_b).post(
        f"/nhiem-vu/xin-y-kien-phoi-hop/{row.pk}/tra-loi/",
        {"position": "agree", "answer": "Nhất trí"},
    )
    assert response.status_code == 302
    # The wrong unit gets the 403 page, not a form error.
    row2 = services.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="Lần 2")
    response = client_for(ww.w.officer).post(
        f"/nhiem-vu/xin-y-kien-phoi-hop/{row2.pk}/tra-loi/", {"position": "agree"}
    )
    assert response.status_code == 403
    response = lead.post(
        f"/nhiem-vu/xin-y-kien-phoi-hop/{row.pk}/chua-ro/", {"note": "Chung chung"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.is_unclear


def test_guidance_through_the_pages(ww: WorkWorld) -> None:
    task = in_progress(ww)
    response = client_for(ww.w.officer).post(
        f"/nhiem-vu/{task.pk}/xin-y-kien-chi-dao/",
        {"superior_unit": ww.root.pk, "question": "Có cần lấy ý kiến Bộ?"},
    )
    assert response.status_code == 302
    row = GuidanceRequest.objects.get()
    response = client_for(ww.city_deputy).post(
        f"/nhiem-vu/xin-y-kien-chi-dao/{row.pk}/tra-loi/",
        {"answer": "Sở tự quyết định.", "within_unit_authority": "on"},
    )
    assert response.status_code == 302
    page = client_for(ww.w.head).get(f"/nhiem-vu/{task.pk}/").content.decode()
    assert "Thuộc thẩm quyền của đơn vị" in page and "Sở tự quyết định." in page


def test_upload_download_and_refusals(ww: WorkWorld, data_dir: Path) -> None:
    task = in_progress(ww)
    lead = client_for(ww.w.head)
    response = lead.post(
        f"/nhiem-vu/{task.pk}/tep-dinh-kem/",
        {"file": SimpleUploadedFile("Báo cáo.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    row = Attachment.objects.get()
    response = client_for(ww.head_b).get(f"/nhiem-vu/tep-dinh-kem/{row.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert client_for(ww.w.outsider).get(f"/nhiem-vu/tep-dinh-kem/{row.pk}/").status_code == 404
    response = lead.post(
        f"/nhiem-vu/{task.pk}/tep-dinh-kem/", {"file": SimpleUploadedFile("a.exe", b"MZ..")}
    )
    assert response.status_code == 400
    assert "Không nhận tệp “a.exe”" in response.content.decode()
    assert Attachment.objects.count() == 1
    assert len([p for p in data_dir.rglob("*") if p.is_file()]) == 1


def test_subtask_through_the_page(ww: WorkWorld) -> None:
    task = in_progress(ww)
    lead = client_for(ww.w.head)
    late = task.deadline.replace(year=task.deadline.year + 1)
    response = lead.post(
        f"/nhiem-vu/{task.pk}/nhiem-vu-con/",
        {"title": "Phần của Phòng A1", "lead_unit": ww.div_a1.pk, "deadline": late.isoformat()},
    )
    assert response.status_code == 400 and "sau hạn nhiệm vụ cha" in response.content.decode()
    response = lead.post(
        f"/nhiem-vu/{task.pk}/nhiem-vu-con/",
        {
            "title": "Phần của Phòng A1",
            "lead_unit": ww.div_a1.pk,
            "deadline": task.deadline.isoformat(),
        },
    )
    assert response.status_code == 302
    page = lead.get(f"/nhiem-vu/{task.pk}/").content.decode()
    assert 'id="subtask-rollup"' in page and "Phần của Phòng A1" in page


def test_hidden_task_is_404(ww: WorkWorld) -> None:
    task = in_progress(ww)
    outsider = client_for(ww.w.outsider)
    assert outsider.get(f"/nhiem-vu/{task.pk}/xin-y-kien-phoi-hop/").status_code == 404
    assert outsider.post(f"/nhiem-vu/{task.pk}/tep-dinh-kem/", {}).status_code == 404


# --------------------------------------------------------------------------------------------
# API


def test_api_inputs_and_guidance(ww: WorkWorld) -> None:
    task = in_progress(ww)
    lead = bearer(ww.w.head)
    base = f"/api/v1/work/tasks/{task.pk}"
    response = post_json(lead, f"{base}/inputs", {"unit_id": ww.dept_b.pk, "question": "Ý kiến?"})
    assert response.status_code == 201, response.content
    input_id = response.json()["id"]
    response = post_json(lead, f"{base}/inputs", {"unit_id": ww.dept_b.pk, "question": ""})
    assert response.status_code == 400
    assert response.json()["code"] == "work.field_required"
    wrong = post_json(
        bearer(ww.w.officer), f"{base}/inputs/{input_id}/answer", {"position": "agree"}
    )
    assert (wrong.status_code, wrong.json()["code"]) == (403, "auth.denied")
    ok = post_json(bearer(ww.head_b), f"{base}/inputs/{input_id}/answer", {"position": "agree"})
    assert ok.status_code == 200 and ok.json()["position"] == "agree"
    assert lead.get(f"{base}/inputs").json()[0]["silent"] is False
    response = post_json(lead, f"{base}/guidance", {"question": "Xin chỉ đạo?"})
    assert response.status_code == 201 and response.json()["superior_unit_id"] == ww.root.pk
    gid = response.json()["id"]
    response = post_json(
        bearer(ww.city_head),
        f"{base}/guidance/{gid}/answer",
        {"answer": "Đơn vị tự quyết", "within_unit_authority": True},
    )
    assert response.status_code == 200 and response.json()["within_unit_authority"] is True
    outsider = bearer(ww.w.outsider)
    assert outsider.get(f"{base}/inputs").status_code == 404


def test_api_attachments_and_subtasks(ww: WorkWorld) -> None:
    task = in_progress(ww)
    lead = bearer(ww.w.head)
    base = f"/api/v1/work/tasks/{task.pk}"
    response = lead.post(f"{base}/attachments", {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 201, response.content
    assert response.json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    response = lead.post(f"{base}/attachments", {"file": SimpleUploadedFile("a.pdf", b"<html>")})
    assert (response.status_code, response.json()["code"]) == (400, "work.attachment_content")
    aid = lead.get(f"{base}/attachments").json()[0]["id"]
    download = lead.get(f"{base}/attachments/{aid}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    body = {"title": "Con", "lead_unit_id": ww.div_a1.pk, "deadline": task.deadline.isoformat()}
    response = post_json(lead, f"{base}/subtasks", body)
    assert response.status_code == 201, response.content
    refused = post_json(bearer(ww.w.officer), f"{base}/subtasks", body)
    assert refused.status_code in (403, 404)
    listing = lead.get(f"{base}/subtasks").json()
    assert listing["rollup"]["total"] == 1 and listing["items"][0]["title"] == "Con"


def test_the_directives_files_uploaded_by_the_secretariat_read_across_the_city(
    ww: WorkWorld,
) -> None:
    import datetime as dt

    from django.urls import reverse

    from baro.work.models import DirectiveKind

    directive = services.directive_register(
        actor=ww.secretary,
        number_symbol="24-CT/TU",
        kind=DirectiveKind.DIRECTIVE,
        issuing_unit=ww.root,
        signed_on=dt.date(2026, 7, 1),
        title="Tăng cường kỷ luật, kỷ cương",
    )
    upload_url = reverse("work:directive_attachment_add", args=[directive.pk])
    page_url = reverse("work:directive_detail", args=[directive.pk])
    # Sở A's head reads the directive but may not file its documents.
    assert "Đính kèm tệp" not in client_for(ww.w.head).get(page_url).content.decode()
    denied = client_for(ww.w.head).post(
        upload_url, {"file": SimpleUploadedFile("ban-chup.pdf", PDF)}
    )
    assert denied.status_code == 403
    assert not Attachment.objects.exists()
    # A disallowed file: the message is next to the field, nothing stored.
    secretary = client_for(ww.secretary)
    bad = secretary.post(upload_url, {"file": SimpleUploadedFile("ban-chup.exe", b"MZ..")})
    assert bad.status_code == 200
    assert 'class="error" role="alert">Không nhận tệp' in bad.content.decode()
    assert not Attachment.objects.exists()
    seq = last_seq()
    done = secretary.post(upload_url, {"file": SimpleUploadedFile("Bản chụp 24-CT.pdf", PDF)})
    assert done.status_code == 302 and done["Location"].endswith("#files")
    assert one_new_event(seq).action == "work.attachment.added"
    row = Attachment.objects.get()
    assert row.original_name in client_for(ww.w.officer).get(page_url).content.decode()
    download = reverse("work:attachment_download", args=[row.pk])
    got = client_for(ww.w.officer).get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert client_for(ww.w.outsider).get(download).status_code == 404  # another city
