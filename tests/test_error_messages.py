"""Refusal messages are translatable: the rule, checked on the source.

Every message given to a DomainError (or AuthorityError, NotFoundError, ConflictError, any
other subclass defined in baro) and every reason of an authority Decision is either marked for
translation, `_("Đơn vị %(unit)s …") % {"unit": unit.name}`, or passes on a message that
already is (`exc.message`, `decision.reason`). A Vietnamese f-string or plain literal there
would reach an English reader untranslated, and an f-string inside gettext would never match
the catalogue; positional placeholders (`%s`) cannot be reordered by a translator.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

BARO = Path(__file__).resolve().parent.parent / "baro"
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"}
BASE_ERRORS = {"DomainError", "AuthorityError", "NotFoundError", "ConflictError"}
# Where the message is among the positional arguments.
MESSAGE_INDEX = {"DomainError": 1, "ConflictError": 1, "Decision": 2}
POSITIONAL = re.compile(r"%(?!\()[-#0 +]*\d*(?:\.\d+)?[sdifrx]")

# Calls that may carry a literal message anyway: (path under baro/, line text) -> why.
ALLOWED: dict[tuple[str, str], str] = {}


def sources() -> Iterator[Path]:
    for path in sorted(BARO.rglob("*.py")):
        parts = path.relative_to(BARO).parts
        if "tests" in parts or "migrations" in parts or parts[0] == "testing":
            continue
        yield path


def error_classes() -> set[str]:
    """The error classes: core's four and every class under baro that derives from one."""
    names = set(BASE_ERRORS)
    classes: list[ast.ClassDef] = [
        node
        for path in sources()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    ]
    grew = True
    while grew:
        grew = False
        for node in classes:
            bases = {
                b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
            }
            if node.name not in names and bases & names:
                names.add(node.name)
                grew = True
    return names


def _called(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _message(node: ast.Call, name: str) -> ast.expr | None:
    for keyword in node.keywords:
        if keyword.arg in ("message", "reason"):
            return keyword.value
    index = MESSAGE_INDEX.get(name, 0)
    return node.args[index] if len(node.args) > index else None


def _is_gettext(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and _called(node) in GETTEXT


def problem(message: ast.expr) -> str:
    """What is wrong with this message expression, or "" when it follows the rule."""
    if isinstance(message, ast.JoinedStr):
        return "an f-string: use gettext with named placeholders"
    if isinstance(message, ast.Constant) and isinstance(message.value, str):
        return "a plain string: mark it with gettext"
    if isinstance(message, ast.BinOp):
        if isinstance(message.op, ast.Mod) and _is_gettext(message.left):
            return problem(message.left)
        return "text built with an operator outside gettext: one gettext call per message"
    if _is_gettext(message):
        assert isinstance(message, ast.Call)
        text = message.args[0] if message.args else None
        if not (isinstance(text, ast.Constant) and isinstance(text.value, str)):
            return "gettext of something other than one string literal"
        if POSITIONAL.search(text.value.replace("%%", "")):
            return "a positional placeholder: name it, %(name)s"
    return ""


def violations() -> list[str]:
    names = error_classes() | {"Decision"}
    found = []
    for path in sources():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.Call) or _called(node) not in names:
                continue
            message = _message(node, _called(node))
            if message is None:
                continue
            why = problem(message)
            where = (str(path.relative_to(BARO)), lines[node.lineno - 1].strip())
            if why and where not in ALLOWED:
                found.append(f"baro/{where[0]}:{node.lineno}: {why}: {where[1]}")
    return found


def test_every_refusal_message_is_translatable() -> None:
    assert violations() == []


def test_the_check_sees_the_error_classes_defined_outside_core() -> None:
    assert "LetterUnavailable" in error_classes()


def test_the_check_catches_what_it_forbids() -> None:
    def check(source: str) -> str:
        call = ast.parse(source, mode="eval").body
        assert isinstance(call, ast.Call)
        message = _message(call, _called(call))
        assert message is not None
        return problem(message)

    assert check('DomainError("x", f"Đơn vị {unit.name} đã đóng.")').startswith("an f-string")
    assert check('AuthorityError("Không được.")').startswith("a plain string")
    assert check('NotFoundError("Không " + what)').startswith("text built")
    assert check('ConflictError("x", _(f"{a} trùng."))').startswith("gettext of")
    assert check('DomainError("x", _("Tệp %s rỗng.") % name)').startswith("a positional")
    assert check('Decision(False, power, "Không có quyền.")').startswith("a plain string")
    assert check('DomainError("x", _("Tệp “%(name)s” rỗng.") % {"name": name})') == ""
    assert check('DomainError("x", gettext("Tiến độ phải từ 0 đến 100%."))') == ""
    assert check("AuthorityError(decision.reason)") == ""
