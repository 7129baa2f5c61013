"""The REST API root (/api/v1/): routers of each area, one error format for all of them."""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from baro.cascade.api import router as cascade_router
from baro.core.errors import DomainError
from baro.notify.api import router as notify_router
from baro.org.api import router as org_router
from baro.org.api_auth import api_auth
from baro.oversight.api import router as oversight_router
from baro.web.ledger_api import router as ledger_router
from baro.work.api import router as work_router
from baro.work.api_collab import router as work_collab_router

Parsed = TypeVar("Parsed")


def _refuse_nul(data: Parsed) -> Parsed:
    """Refuse a text holding NUL (U+0000): PostgreSQL's text cannot store one, and the driver
    would fail deep inside a command instead of the input being refused up front."""
    pending: list[Any] = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise DomainError(
                    "request.nul_character",
                    _("Dữ liệu gửi lên chứa ký tự NUL (\\u0000), không được chấp nhận."),
                )
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return data


class _NotJson(DomainError):
    """A body whose Content-Type is not JSON: 415 Unsupported Media Type."""

    http_status = 415


def _is_json(content_type: str) -> bool:
    """application/json, or a structured type ending in +json (application/merge-patch+json)."""
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


class _Parser(Parser):
    """ninja's JSON body and query string parsing, refusing NUL in any text and a body that
    does not say it is JSON (text/plain, a form, no type at all): the API reads JSON only,
    and a body sent as text/plain is what a cross-site HTML form can post without a preflight."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if not _is_json(request.content_type or ""):
            raise _NotJson(
                "request.content_type",
                message=_(
                    "Nội dung gửi lên phải là JSON (Content-Type: application/json), "
                    "không phải “%(received)s”."
                )
                % {"received": request.content_type or _("không khai báo")},
                details={"expected": "application/json", "received": request.content_type or ""},
            )
        return _refuse_nul(super().parse_body(request))

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        return _refuse_nul(super().parse_querydict(data, list_fields, request))


api = NinjaAPI(
    title="Baro API",
    version="1",
    description=(
        "API của Baro (Ba Rõ) cho tích hợp: cơ cấu tổ chức, văn bản chỉ đạo và nhiệm vụ, "
        "triển khai văn bản, sổ cái. Xác thực bằng "
        "`Authorization: Bearer <token>` (quản trị viên cấp mã không cần đăng nhập web: "
        "`baro token issue --person <mã cán bộ> --as <tên đăng nhập>`); thiếu hoặc sai mã: "
        "401 `auth.required`, với mọi phương thức. Lỗi trả về JSON `{code, message}` với mã ổn "
        "định.\n\n"
        "Giới hạn đầu vào, bộ phân tích từ chối trước mọi lệnh (422 `validation_error`, chỉ rõ "
        "trường): mỗi số có `minimum`/`maximum`, mỗi chuỗi có `maxLength`, mỗi danh sách có "
        "`maxItems`, mỗi ngày nằm trong khoảng ghi ở `x-baro-range` (30 năm trước đến 10 năm "
        "sau). Thân yêu cầu phải là JSON (`Content-Type: application/json`, nếu không: 415 "
        "`request.content_type`), không quá `DATA_UPLOAD_MAX_MEMORY_SIZE` byte, mặc định "
        "2.621.440 (413 `request.too_large`, kèm giới hạn; tệp đính kèm có giới hạn riêng). "
        "Danh sách phân trang bằng `limit`/`offset`; giá trị ngoài khoảng được kẹp lại.\n\n"
        "Ngôn ngữ của `message`: tiếng Việt, trừ khi yêu cầu gửi `Accept-Language: en` (hoặc "
        "`en-US`, `en-GB`…; ngôn ngữ khác hay không gửi: tiếng Việt), hoặc cookie "
        "`django_language` (`vi`/`en`, được ưu tiên hơn `Accept-Language`). Câu trả lời ghi "
        "ngôn ngữ đã dùng ở `Content-Language` và có `Vary: Accept-Language`; `code` không đổi "
        "theo ngôn ngữ."
    ),
    urls_namespace="api",
    auth=api_auth,
    parser=_Parser(),
)


def _error(
    request: HttpRequest, status: int, code: str, message: str, **extra: object
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.http_status)


@api.exception_handler(RequestDataTooBig)
def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """A body past DATA_UPLOAD_MAX_MEMORY_SIZE (files of a multipart body are not counted):
    Django would answer its own HTML "Bad Request (400)"."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _error(
        request,
        413,
        "request.too_large",
        f"Nội dung gửi lên vượt quá giới hạn {limit:,} byte (không kể tệp đính kèm).".replace(
            ",", "."
        ),
        details={"max_bytes": limit},
    )


@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def on_too_many_fields(
    request: HttpRequest, exc: TooManyFieldsSent | TooManyFilesSent
) -> HttpResponse:
    return _error(request, 400, "request.too_many_fields", "Nội dung gửi lên có quá nhiều trường.")


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(
        request, 422, "validation_error", _("Dữ liệu gửi lên không hợp lệ."), details=exc.errors
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request, 401, "auth.required", _("Cần đăng nhập hoặc mã truy cập (token) hợp lệ.")
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "auth.denied", str(exc) or _("Không có quyền thực hiện."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Không tìm thấy."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if isinstance(cause, DomainError):  # ninja wraps what the body parser raises
        return on_domain_error(request, cause)
    if isinstance(cause, RequestDataTooBig):
        return on_too_large(request, cause)
    if isinstance(cause, TooManyFieldsSent | TooManyFilesSent):
        return on_too_many_fields(request, cause)
    if exc.status_code == 400 and isinstance(cause, ValueError):  # JSON or UTF-8 decoding
        return _error(
            request, 400, "http.400", _("Nội dung gửi lên không phải JSON hợp lệ (UTF-8).")
        )
    return _error(request, exc.status_code, f"http.{exc.status_code}", str(exc))


api.add_router("/org/", org_router)
api.add_router("/ledger/", ledger_router)
api.add_router("/work/", work_router)
api.add_router("/work/", work_collab_router)
api.add_router("/cascade/", cascade_router)
api.add_router("/oversight/", oversight_router)
api.add_router("/notifications/", notify_router)


def unknown_address(request: HttpRequest) -> HttpResponse:
    """Any other address under /api/: the API's JSON 404, not the site's HTML page (an id that
    does not fit an operation's pattern, "/letters/abc.pdf", lands here too). An address that
    exists with a trailing slash is sent there, as Django's APPEND_SLASH would have."""
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not unknown_address:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return _error(request, 404, "not_found", _("Không có địa chỉ này trong API."))
