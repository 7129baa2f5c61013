"""`baro work lines` lists the assignment lines; `baro work line-set` changes one (one event),
and a refusal is one line on stderr with a non-zero exit."""

from __future__ import annotations

import pytest

from baro.cli import main
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.org import World
from baro.work.lines import current_lines

pytestmark = pytest.mark.django_db


def test_cli_lists_and_sets_a_line(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["work", "lines"]) == 0
    assert "government → party" in capsys.readouterr().out
    assert world.admin.user is not None
    seq = last_seq()
    argv = ["work", "line-set", "government", "front", "below", "--as", world.admin.user.username]
    assert main(argv) == 0
    assert one_new_event(seq).action == "work.assignment_line.set"
    assert current_lines()[("government", "front")][0] == "below"


def test_cli_refuses_someone_without_the_power(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert world.head.user is not None
    seq = last_seq()
    argv = ["work", "line-set", "government", "front", "below", "--as", world.head.user.username]
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Lỗi [auth.denied]")
    assert last_seq() == seq
