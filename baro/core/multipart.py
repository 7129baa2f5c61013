"""A multipart body read strictly, for the API's upload operations.

Django's multipart parser drops every non-printable character of a file's name without a word
(`MultiPartParser.sanitize_file_name`), so "a\\x00b.pdf" arrived as "ab.pdf", while the same NUL
in a JSON body is refused (request.nul_character). The upload operations read their body here
instead: the same parser, the same upload handlers and limits, but a name holding NUL is
refused with the JSON body's code.

If something read the body before (a browser session's CSRF check reads the form when the
token is not in a header), the stream is spent: the body Django parsed already is used.
"""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, QueryDict
from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext

from baro.core.errors import DomainError

NUL_IN_NAME = "request.nul_character"


class _StrictNames(MultiPartParser):
    def sanitize_file_name(self, file_name: str) -> str | None:
        if "\x00" in file_name:
            raise DomainError(
                NUL_IN_NAME,
                gettext("Tên tệp gửi lên chứa ký tự NUL (\\u0000), không được chấp nhận."),
                field="file",
            )
        return super().sanitize_file_name(file_name)


def multipart(request: HttpRequest) -> tuple[QueryDict, MultiValueDict[str, UploadedFile]]:
    """The fields and files of a multipart/form-data request, file names checked for NUL."""
    if not (request.content_type or "").startswith("multipart/form-data"):
        return QueryDict(), MultiValueDict()
    fields: QueryDict
    files: MultiValueDict[str, UploadedFile]
    # The request is the file-like body, as Django hands it to its own parser.
    body = cast(IO[bytes], request)
    fields, files = _StrictNames(
        request.META, body, request.upload_handlers, request.encoding
    ).parse()
    if not fields and not files:  # the stream was read before: what Django parsed then
        return request.POST, request.FILES
    return fields, files


def multipart_body(**fields: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI request body of an upload read with `multipart()`: the required `file`, and
    `fields` (name -> schema) beside it. ninja cannot see a body the operation parses itself."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}, **fields},
                        "required": ["file"],
                    }
                }
            },
        }
    }


MULTIPART_FILE = multipart_body()


def uploaded_file(files: MultiValueDict[str, UploadedFile], name: str = "file") -> UploadedFile:
    """The one file sent as `name`, or DomainError request.file_required on that field."""
    found = files.get(name)
    if found is None:
        raise DomainError(
            "request.file_required", gettext("Chưa gửi tệp (trường “file”, multipart)."), field=name
        )
    return found
