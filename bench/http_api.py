"""Tasks over HTTP: the REST API behind the production server (granian, `baro serve`).

Set-up, in a fresh data directory (SQLite, the embedded default): `baro init`, then the org of
bench/task_transitions.py (a city, a department, a division, their heads and an officer) made
by the org commands, and one API token per persona issued by the administrator
(api_token_issue). Then it starts `baro serve` on a free loopback port and, with one client
(http.client, keep-alive):

- creates N tasks (POST /api/v1/work/tasks, as the city's head);
- applies each transition to every task (POST …/tasks/{id}/accept as the department's head,
  /progress and /submit as the named officer, /approve as the city's head);

and prints requests/s, mean/median/p95 per kind. Then 4 concurrent clients (threads, each with
its own connection and its own tasks: create, accept, progress, submit, approve, one after the
other) run for a while; every response is counted, any error (non-2xx, a dropped connection,
"database is locked") reported, and afterwards every acknowledged action is checked in the
database: each task a client was told exists is there, in the state the last 2xx answer said,
with one ledger event per acknowledged command, and `baro ledger verify` passes.

    .venv/bin/python bench/http_api.py                       # 500 tasks, then 4 × 150 tasks
    .venv/bin/python bench/http_api.py --tasks 1000 --clients 4 --per-client 250 --threads 8

Never run by the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
KINDS = ("create", "accept", "progress", "submit", "approve")
# The state each acknowledged command leaves the task in, and the ledger action it records.
AFTER = {
    "create": ("assigned", "work.task.assigned"),
    "accept": ("in_progress", "work.task.accepted"),
    "progress": ("in_progress", "work.task.progress_reported"),
    "submit": ("submitted", "work.task.submitted"),
    "approve": ("completed", "work.task.approved"),
}


# --------------------------------------------------------------------------------------------
# set-up and verification, inside Django (run as subprocesses of this script)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baro.settings")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()


def set_up() -> dict[str, Any]:
    """The org and one token per persona; printed as JSON for the parent process."""
    _django()
    from django.conf import settings
    from task_transitions import set_up_org

    from baro.org.services import api_token_issue
    from baro.setup import initialise

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    initialise(verbosity=0)
    org = set_up_org()
    tokens = {}
    for name in ("city_head", "dept_head", "officer"):
        person = getattr(org, name)
        _, raw = api_token_issue(actor=org.admin, person=person, name=f"bench {name}")
        tokens[name] = raw
    return {
        "tokens": tokens,
        "root_id": org.root.pk,
        "dept_id": org.dept.pk,
        "officer_id": org.officer.pk,
    }


def verify(acknowledged_path: str) -> dict[str, Any]:
    """Every acknowledged action present: task, its last acknowledged state, its events."""
    _django()
    from baro.ledger.models import LedgerEvent
    from baro.work.models import Task

    acknowledged = json.loads(Path(acknowledged_path).read_text())
    last_state = {int(task_id): state for task_id, state in acknowledged["last_state"].items()}
    expected_events = Counter(
        {(int(task_id), action): count for task_id, action, count in acknowledged["events"]}
    )
    states = dict(Task.objects.filter(pk__in=list(last_state)).values_list("pk", "status"))
    missing = [task_id for task_id in last_state if task_id not in states]
    wrong_state = [
        (task_id, state, states[task_id])
        for task_id, state in last_state.items()
        if task_id in states and states[task_id] != state
    ]
    found = Counter(
        (int(object_id), action)
        for object_id, action in LedgerEvent.objects.filter(
            object_type="work.task", object_id__in=[str(pk) for pk in last_state]
        ).values_list("object_id", "action")
    )
    event_mismatch = [
        (key, count, found.get(key, 0))
        for key, count in expected_events.items()
        if found.get(key, 0) != count
    ]
    return {
        "tasks": len(last_state),
        "actions": sum(expected_events.values()),
        "missing_tasks": missing[:10],
        "missing_count": len(missing),
        "wrong_state": wrong_state[:10],
        "wrong_state_count": len(wrong_state),
        "event_mismatch": [list(item) for item in event_mismatch[:10]],
        "event_mismatch_count": len(event_mismatch),
    }


# --------------------------------------------------------------------------------------------
# the client side


@dataclass
class Client:
    """One keep-alive connection; records every answer."""

    port: int
    tokens: dict[str, str]
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    last_state: dict[int, str] = field(default_factory=dict)
    events: Counter[tuple[int, str]] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def call(self, kind: str, persona: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        payload = json.dumps(body).encode()
        headers = {
            "Authorization": f"Bearer {self.tokens[persona]}",
            "Content-Type": "application/json",
        }
        began = time.perf_counter()
        try:
            self.connection.request("POST", path, body=payload, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            # A dropped connection is an error; reconnect for the next request.
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self._error(kind, f"{type(exc).__name__}: {exc}")
            return {}
        elapsed = time.perf_counter() - began
        if not 200 <= response.status < 300:
            self._error(kind, f"HTTP {response.status}: {data[:300].decode(errors='replace')}")
            return {}
        self.times[kind].append(elapsed)
        answer: dict[str, Any] = json.loads(data)
        task_id, state = int(answer["id"]), answer["status"]
        expected_state, action = AFTER[kind]
        if state != expected_state:
            self._error(kind, f"task {task_id} answered {state}, expected {expected_state}")
        self.last_state[task_id] = state
        self.events[(task_id, action)] += 1
        return answer

    def _error(self, kind: str, text: str) -> None:
        self.errors[kind] += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(f"{kind}: {text}")

    def create(self, setup: dict[str, Any], index: int) -> int | None:
        answer = self.call(
            "create",
            "city_head",
            "/api/v1/work/tasks",
            {
                "title": f"Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực số {index}",
                "lead_unit_id": setup["dept_id"],
                "assigning_unit_id": setup["root_id"],
                "officer_id": setup["officer_id"],
                "deadline_rule": "working_days",
                "deadline_days": 10,
                "expected_output": "Báo cáo kết quả rà soát và phương án đơn giản hóa",
            },
        )
        return int(answer["id"]) if answer else None

    def transition(self, kind: str, task_id: int) -> None:
        base = f"/api/v1/work/tasks/{task_id}"
        if kind == "accept":
            self.call(kind, "dept_head", f"{base}/accept", {})
        elif kind == "progress":
            self.call(
                kind,
                "officer",
                f"{base}/progress",
                {
                    "percent": 60,
                    "text": "Đã rà soát 42/70 thủ tục; đang lấy ý kiến các phòng chuyên môn.",
                },
            )
        elif kind == "submit":
            self.call(kind, "officer", f"{base}/submit", {"note": "Gửi báo cáo kết quả rà soát."})
        elif kind == "approve":
            self.call(
                kind,
                "city_head",
                f"{base}/approve",
                {"quality_grade": "good", "effectiveness_grade": "effective"},
            )


def _ms(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else 0.0


def _report(
    label: str,
    clients: list[Client],
    wall: dict[str, float] | float,
    meter: CpuMeter | None = None,
) -> None:
    print(label)
    for kind in KINDS:
        values = [t for client in clients for t in client.times[kind]]
        errors = sum(client.errors[kind] for client in clients)
        if not values and not errors:
            continue
        seconds = wall[kind] if isinstance(wall, dict) else wall
        print(
            f"  {kind:9s} {len(values):6,} ok, {errors} errors, {len(values) / seconds:7,.0f} req/s"
            f"   mean {statistics.mean(values) * 1000:5.2f} ms  p50 {_ms(values, 50):5.2f} ms  "
            f"p95 {_ms(values, 95):5.2f} ms" + (meter.line(kind, len(values)) if meter else "")
        )
    for client in clients:
        for sample in client.error_samples:
            print(f"  error: {sample}")


# --------------------------------------------------------------------------------------------
# CPU time of the server's processes (Linux /proc): per request, what wall-clock figures on a
# shared machine cannot show reliably.


def _proc_stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # fields from the 3rd (state) on


def _server_processes(root: int) -> tuple[list[int], list[int]]:
    """The serving processes (granian's main process and its workers, or waitress's one) and the
    other children of `baro serve` (its background `baro worker`), by parent and command line."""
    serving, others = [root], []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _proc_stat(int(entry.name))
        if fields is None or int(fields[1]) != root:
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        (others if b"worker" in argv else serving).append(int(entry.name))
    return serving, others


def _cpu_seconds(pids: list[int]) -> float:
    ticks = 0
    for pid in pids:
        fields = _proc_stat(pid)
        if fields is not None:
            ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class CpuMeter:
    """Server and client CPU seconds per phase (client: this process, one thread at a time)."""

    serving: list[int]
    others: list[int]
    seconds: dict[str, tuple[float, float, float]] = field(default_factory=dict)

    def start(self) -> tuple[float, float, float]:
        return (_cpu_seconds(self.serving), _cpu_seconds(self.others), time.process_time())

    def stop(self, kind: str, began: tuple[float, float, float]) -> None:
        now = self.start()
        self.seconds[kind] = (now[0] - began[0], now[1] - began[1], now[2] - began[2])

    def line(self, kind: str, requests: int) -> str:
        if kind not in self.seconds or not requests:
            return ""
        server, others, client = self.seconds[kind]
        text = (
            f"   CPU/req: server {server / requests * 1000:4.2f} ms, "
            f"client {client / requests * 1000:4.2f} ms"
        )
        return text + (f", baro worker {others:.2f} s in all" if self.others else "")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped with exit code {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=500, help="tasks of the one-client run")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--per-client", type=int, default=150, help="tasks of each client")
    parser.add_argument("--threads", type=int, default=None, help="waitress threads")
    parser.add_argument("--workers", type=int, default=None, help="granian workers")
    parser.add_argument("--waitress", action="store_true", help="serve with waitress")
    parser.add_argument("--step", choices=["setup", "verify"], help=argparse.SUPPRESS)
    parser.add_argument("--acknowledged", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "setup":
        print(json.dumps(set_up()))
        return 0
    if args.step == "verify":
        print(json.dumps(verify(args.acknowledged)))
        return 0

    with tempfile.TemporaryDirectory(prefix="baro-bench-http-") as data_dir:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BARO_DEBUG")}
        env["BARO_DATA_DIR"] = data_dir

        def step(*extra: str) -> dict[str, Any]:
            done = subprocess.run(
                [PYTHON, __file__, *extra], env=env, check=True, capture_output=True, text=True
            )
            return dict(json.loads(done.stdout.strip().splitlines()[-1]))

        subprocess.run([PYTHON, "-m", "baro", "init", "--quiet"], env=env, check=True, cwd=ROOT)
        setup = step("--step", "setup")
        port = _free_port()
        serve = [PYTHON, "-m", "baro", "serve", "--port", str(port)]
        if args.threads:
            serve += ["--threads", str(args.threads)]
        if args.workers:
            serve += ["--workers", str(args.workers)]
        if args.waitress:
            serve += ["--waitress"]
        server = subprocess.Popen(
            serve, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            _wait_for(port, server)
            load = os.getloadavg()
            print(
                f"`baro serve` on 127.0.0.1:{port} "
                f"({'waitress' if args.waitress else 'granian'}, workers "
                f"{args.workers or 'default'}, threads {args.threads or 'default'}); "
                f"SQLite in {data_dir}; "
                f"load average {load[0]:.2f} {load[1]:.2f}",
                flush=True,
            )
            # Warm-up: the first requests import and compile what the rest reuse.
            warm = Client(port, setup["tokens"])
            for index in range(10):
                task_id = warm.create(setup, -index)
                for kind in KINDS[1:]:
                    if task_id is not None:
                        warm.transition(kind, task_id)

            meter = CpuMeter(*_server_processes(server.pid)) if Path("/proc").is_dir() else None
            one = Client(port, setup["tokens"])
            wall: dict[str, float] = {}
            cpu = meter.start() if meter else None
            began = time.perf_counter()
            task_ids = [one.create(setup, index) for index in range(args.tasks)]
            wall["create"] = time.perf_counter() - began
            if meter and cpu:
                meter.stop("create", cpu)
            for kind in KINDS[1:]:
                cpu = meter.start() if meter else None
                began = time.perf_counter()
                for task_id in task_ids:
                    if task_id is not None:
                        one.transition(kind, task_id)
                wall[kind] = time.perf_counter() - began
                if meter and cpu:
                    meter.stop(kind, cpu)
            _report(f"one client, {args.tasks:,} tasks:", [one], wall, meter)

            clients = [Client(port, setup["tokens"]) for _ in range(args.clients)]

            def work(client: Client, offset: int) -> None:
                for index in range(args.per_client):
                    task_id = client.create(setup, offset + index)
                    if task_id is None:
                        continue
                    for kind in KINDS[1:]:
                        client.transition(kind, task_id)

            threads = [
                threading.Thread(target=work, args=(client, 100_000 * (n + 1)))
                for n, client in enumerate(clients)
            ]
            cpu = meter.start() if meter else None
            began = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            together = time.perf_counter() - began
            total = sum(len(t) for client in clients for t in client.times.values())
            server_cpu = ""
            if meter and cpu and total:
                meter.stop("together", cpu)
                per_request = meter.seconds["together"][0] / total * 1000
                server_cpu = f", server CPU {per_request:.2f} ms/req"
            _report(
                f"{args.clients} concurrent clients, {args.per_client:,} tasks each "
                f"({total:,} requests in {together:.1f} s = {total / together:,.0f} req/s "
                f"altogether{server_cpu}; per kind, the rate of that kind over the whole run):",
                clients,
                together,
            )
        finally:
            server.terminate()
            try:
                _, stderr = server.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                _, stderr = server.communicate()
        locked = stderr.decode(errors="replace").count("database is locked")
        print(f"server log: {locked} 'database is locked'")

        everyone = [warm, one, *clients]
        last_state: dict[int, str] = {}
        events: Counter[tuple[int, str]] = Counter()
        for client in everyone:
            last_state.update(client.last_state)  # each task belongs to one client
            events.update(client.events)
        acknowledged = Path(data_dir) / "acknowledged.json"
        acknowledged.write_text(
            json.dumps(
                {
                    "last_state": {str(k): v for k, v in last_state.items()},
                    "events": [[task_id, action, n] for (task_id, action), n in events.items()],
                }
            )
        )
        checked = step("--step", "verify", "--acknowledged", str(acknowledged))
        print(
            f"verification: {checked['tasks']:,} tasks, {checked['actions']:,} acknowledged "
            f"actions; missing tasks {checked['missing_count']}, wrong state "
            f"{checked['wrong_state_count']}, event count mismatches "
            f"{checked['event_mismatch_count']}"
        )
        for name in ("missing_tasks", "wrong_state", "event_mismatch"):
            if checked[name]:
                print(f"  {name}: {checked[name]}")
        ledger = subprocess.run(
            [PYTHON, "-m", "baro", "ledger", "verify"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        print(f"baro ledger verify: exit {ledger.returncode}: {ledger.stdout.strip()[-300:]}")
        errors = sum(sum(client.errors.values()) for client in everyone)
        bad = (
            errors
            + locked
            + checked["missing_count"]
            + checked["wrong_state_count"]
            + checked["event_mismatch_count"]
            + (ledger.returncode != 0)
        )
        print("RESULT: " + ("OK, zero errors" if not bad else f"{bad} problem(s)"))
        return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
