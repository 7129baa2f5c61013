"""What a verification says: the problem codes, the first problem found, the report.

Shared by every verifier of the ledger (the fast one in this package, the plain one in
baro.ledger.reference) so that their verdicts can be compared field by field, and by the API,
the web page and the command line, which show them. No Django, no cryptography: only data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from baro.ledger.canonical import GENESIS_HASH

# The first bytes of an export file, before a tab and the header's JSON.
HEADER_TAG = "#baro-ledger v1"

HASH_MISMATCH = "ledger.hash_mismatch"
GAP = "ledger.gap"
OUT_OF_ORDER = "ledger.out_of_order"
BROKEN_LINK = "ledger.broken_link"
CHECKPOINT_BAD_SIGNATURE = "ledger.checkpoint_bad_signature"
CHECKPOINT_MISMATCH = "ledger.checkpoint_mismatch"
MALFORMED = "ledger.malformed"
WRONG_KEY = "ledger.wrong_key"
TRUNCATED = "ledger.truncated"
COLUMN_MISMATCH = "ledger.column_mismatch"
HEAD_MISMATCH = "ledger.head_mismatch"


@dataclass
class Problem:
    """The first thing found wrong. `seq` is the event where the chain stops being intact."""

    code: str
    seq: int | None
    detail: str
    checkpoint: int | None = None
    found: int | None = None  # the sequence number met instead of `seq`, for order problems
    # A jump forward seen on a range's last line: the next range's first event tells whether
    # it was a swap (out of order) or a removal (gap).
    needs_lookahead: bool = False
    # For a checkpoint that no longer matches its events: the first event whose hash differs
    # from the leaves the checkpoint signed (only the database keeps the leaves: see
    # baro.ledger.verify.database). Then `seq` is that event too.
    changed: int | None = None

    @property
    def message(self) -> str:
        if self.seq is None:
            return self.detail[:1].upper() + self.detail[1:]
        return f"Sổ cái bị sửa tại sự kiện số {self.seq}: {self.detail}"


@dataclass
class VerifyReport:
    ok: bool
    chain: str = ""
    events: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS_HASH
    checkpoints: int = 0
    last_checkpoint: int | None = None
    last_checkpoint_seq: int = 0
    key_id: str = ""
    key_source: str = ""  # "argument", "header" (the export's own claim) or "installation"
    problem: Problem | None = None

    @property
    def code(self) -> str | None:
        return self.problem.code if self.problem else None

    @property
    def unsigned_events(self) -> int:
        """Events verified past the last signed checkpoint: held by the hash chain only."""
        return self.last_seq - self.last_checkpoint_seq

    @property
    def message(self) -> str:
        return self.problem.message if self.problem else self.summary()

    def summary(self) -> str:
        """One Vietnamese sentence: what was proven, or the first problem."""
        if self.problem:
            return self.problem.message
        if self.events == 0:
            return "Sổ cái chưa có sự kiện nào."
        text = f"Toàn vẹn đến sự kiện số {self.last_seq}"
        if self.last_checkpoint is None:
            text += "; chưa có điểm chốt nào được ký."
        else:
            text += f"; điểm chốt số {self.last_checkpoint} đã ký hợp lệ (khóa {self.key_id[:8]}…)."
            unsigned = self.unsigned_events
            if unsigned:
                text += f" {unsigned} sự kiện sau điểm chốt cuối chưa được ký."
        return text

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["code"] = self.code
        data["message"] = self.summary()
        data["unsigned_events"] = self.unsigned_events
        if self.problem:
            data["problem"] = {
                "code": self.problem.code,
                "seq": self.problem.seq,
                "checkpoint": self.problem.checkpoint,
                "changed": self.problem.changed,
                "message": self.problem.message,
            }
        return data
