"""`make bench`: serve a small and a large org with gunicorn and time every main page, its htmx
fragments, and the Django admin beside the product on the same database. Prints a table and writes
bench/results.json. Timings are reported as ratios; nothing here is a pass/fail test."""

from __future__ import annotations

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PY = sys.executable
SCALES = ("small", "large")
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
WARMUP = 2
WRITES = int(os.environ.get("BENCH_WRITES", "10"))
"""How many status updates are posted (per target) to time the first requests after a write."""
WARMUP_WRITES = 3


def env_for(scale: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        SQLITE_PATH=str(BENCH / f"{scale}.sqlite3"),
        DEBUG="false",
        SECRET_KEY="bench-only-" + "k" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",  # testserver: the in-process query counts
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        DJANGO_SETTINGS_MODULE="leadership_os.settings",
    )
    return env


def manage(scale: str, *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env_for(scale), check=True)


def build(scale: str) -> None:
    database = BENCH / f"{scale}.sqlite3"
    ready = BENCH / f".{scale}.ready"
    if database.exists() and ready.exists():
        print(f"Reusing bench/{scale}.sqlite3 (delete it to rebuild)")
        manage(scale, "migrate", "--no-input", "--verbosity", "0")  # a reused database gets new indexes too
        return
    for stale in (database, Path(f"{database}-wal"), Path(f"{database}-shm"), ready):
        stale.unlink(missing_ok=True)
    print(f"Building the {scale} org in bench/{scale}.sqlite3")
    manage(scale, "migrate", "--no-input", "--verbosity", "0")
    manage(scale, "generate_org", "--scale", scale, "--seed", "1", "--no-progress")
    ready.touch()


def inspect(scale: str, *args: str) -> dict:
    out = subprocess.run(
        [PY, "bench/inspect_db.py", *args],
        cwd=ROOT,
        env=env_for(scale),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Session:
    def __init__(self, base: str, user: str, password: str):
        self.base = base
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))
        page = self.opener.open(f"{base}/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode({"username": user, "password": password, "csrfmiddlewaretoken": token}).encode()
        request = Request(
            f"{base}/accounts/login/", data=body, headers={"Referer": f"{base}/accounts/login/"}
        )
        landed = self.opener.open(request)
        if "/accounts/login/" in landed.geturl():
            raise SystemExit("The bench user could not log in")

    def time(
        self, path: str, headers: dict[str, str] | None = None, *, warmup: int = WARMUP, repeat: int = REPEAT
    ) -> list[float]:
        timings = []
        for index in range(warmup + repeat):
            request = Request(f"{self.base}{path}", headers=headers or {})
            start = time.perf_counter()
            with self.opener.open(request) as response:
                response.read()
                if response.status != 200:
                    raise SystemExit(f"{path} answered {response.status}")
            if index >= warmup:
                timings.append((time.perf_counter() - start) * 1000)
        return timings

    def fetch(self, path: str, headers: dict[str, str] | None = None) -> str:
        with self.opener.open(Request(f"{self.base}{path}", headers=headers or {})) as response:
            return response.read().decode()

    def post(self, path: str, fields: dict[str, str], headers: dict[str, str] | None = None) -> None:
        request = Request(
            f"{self.base}{path}",
            data=urlencode(fields).encode(),
            headers={"Referer": f"{self.base}{path}", **(headers or {})},
        )
        with self.opener.open(request) as response:
            response.read()
            if response.status != 200:
                raise SystemExit(f"POST {path} answered {response.status}")

    def after_writes(self, spec: dict) -> dict[str, list[float]]:
        """Post a status update, then time each target once: the first request after a write (and
        the second, which the other worker may answer). The first WARMUP_WRITES rounds are not
        timed: a worker's first evaluation after it starts reads every part of the org."""
        write, headers = spec["write"]["path"], spec["write"].get("headers")
        timings: dict[str, list[float]] = {}
        for n in range(WARMUP_WRITES + WRITES):
            for name, target in spec["targets"].items():
                self.post_update(write, headers, note=f"Bench update {n} ({name}): the review moved on.")
                for order in ("first", "second"):
                    taken = self.time(target["path"], target.get("headers"), warmup=0, repeat=1)
                    if n >= WARMUP_WRITES:
                        timings.setdefault(f"{name}:{order}", []).extend(taken)
        return timings

    def post_update(self, path: str, headers: dict[str, str] | None, *, note: str) -> None:
        form = self.fetch(path, headers)
        state = re.search(r'<option value="([a-z_]+)"[^>]*selected', form).group(1)
        fields = {
            "csrfmiddlewaretoken": _field(form, "csrfmiddlewaretoken"),
            "version": _field(form, "version"),
            "state": state,
            "note": note,
            "blocker": "Waiting on the bench" if state == "blocked" else "",
        }
        self.post(path, fields, headers)


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    if found is None:
        raise SystemExit(f"No field {name} in the status update form")
    return found.group(1)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def serve(scale: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "leadership_os.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env_for(scale),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            build_opener().open(f"{base}/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    return server, base


def interleaved(sessions: dict[str, Session], targets: dict[str, dict]) -> dict[str, list[float]]:
    """Time one target on every org, a request on each in turn (the order swapped each round), so
    that the machine's load, which drifts over a run, weighs on the small and the large org alike."""
    timings: dict[str, list[float]] = {scale: [] for scale in sessions}
    for index in range(WARMUP + REPEAT):
        order = list(sessions) if index % 2 == 0 else list(reversed(sessions))
        for scale in order:
            target = targets[scale]
            taken = sessions[scale].time(target["path"], target.get("headers"), warmup=0, repeat=1)
            if index >= WARMUP:
                timings[scale].extend(taken)
    return timings


def measure(infos: dict[str, dict]) -> dict[str, dict[str, dict[str, float]]]:
    """Serve every org at once (gunicorn, 2 workers each), time each page, fragment and peer on
    them in turn, then time the first requests after a write on each."""
    servers = {scale: serve(scale) for scale in SCALES}
    try:
        sessions = {
            scale: Session(base, infos[scale]["user"], infos[scale]["password"])
            for scale, (_, base) in servers.items()
        }
        results: dict[str, dict[str, dict[str, float]]] = {scale: {} for scale in SCALES}
        for group in ("pages", "fragments", "peers"):
            for name in infos["large"]["targets"][group]:
                timings = interleaved(sessions, {s: infos[s]["targets"][group][name] for s in SCALES})
                for scale, taken in timings.items():
                    results[scale][f"{group}:{name}"] = {"p50": statistics.median(taken), "p95": p95(taken)}
                print(
                    f"  {group[:-1]:<8} {name:<24} "
                    + "  ".join(f"{s} p50 {results[s][f'{group}:{name}']['p50']:7.1f} ms" for s in SCALES)
                )
        for scale in SCALES:
            before = inspect(scale, "evaluations")["evaluations"]
            after = sessions[scale].after_writes(infos[scale]["targets"]["after_write"])
            evaluations = inspect(scale, "evaluations")["evaluations"] - before
            for name, timings in after.items():
                results[scale][f"after_write:{name}"] = {
                    "p50": statistics.median(timings),
                    "max": max(timings),
                }
                print(f"  {scale:<5} after a write {name:<24} p50 {statistics.median(timings):8.1f} ms")
            targets = infos[scale]["targets"]["after_write"]["targets"].values()
            results[scale]["engine"] = {
                "writes": (WARMUP_WRITES + WRITES) * len(targets),
                "writes_then_an_engine_page": (WARMUP_WRITES + WRITES)
                * sum(1 for t in targets if t.get("engine")),
                "evaluations": evaluations,
            }
        return results
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait(timeout=10)


LOAD_BEFORE = os.getloadavg()


def main() -> None:
    subprocess.run([PY, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"], cwd=ROOT,
                   env=env_for("small"), check=True)  # fmt: skip
    infos = {}
    for scale in SCALES:
        build(scale)
        infos[scale] = inspect(scale)
    print(f"Timing the orgs in turn ({REPEAT} requests each, after {WARMUP} warm-up)")
    timings = measure(infos)

    small, large = timings["small"], timings["large"]
    pages = {}
    for name in infos["large"]["targets"]["pages"]:
        key = f"pages:{name}"
        pages[name] = {
            "small_p50_ms": round(small[key]["p50"], 1),
            "small_p95_ms": round(small[key]["p95"], 1),
            "large_p50_ms": round(large[key]["p50"], 1),
            "large_p95_ms": round(large[key]["p95"], 1),
            "large_over_small": round(large[key]["p50"] / small[key]["p50"], 2),
            "queries_small": infos["small"]["queries"][name],
            "queries_large": infos["large"]["queries"][name],
        }
    fragments = {
        name: {
            "fragment_over_page": round(
                large[f"fragments:{name}"]["p50"] / large[f"pages:{target.get('page', name)}"]["p50"], 2
            )
        }
        for name, target in infos["large"]["targets"]["fragments"].items()
    }
    peers = {
        "decision_log_over_admin_changelist": round(
            large["peers:decision_log_unfiltered"]["p50"] / large["peers:admin_changelist"]["p50"], 2
        ),
        "search_over_admin_search": round(
            large["peers:product_search"]["p50"] / large["peers:admin_search"]["p50"], 2
        ),
    }
    after_write = {
        name.removeprefix("after_write:"): {
            "large_p50_ms": round(value["p50"], 1),
            "large_max_ms": round(value["max"], 1),
            "small_p50_ms": round(small[name]["p50"], 1),
        }
        for name, value in large.items()
        if name.startswith("after_write:")
    }
    engine = {scale: timings[scale]["engine"] for scale in SCALES}
    machine = {
        "cores": os.cpu_count(),
        "load_before": LOAD_BEFORE,
        "load_after": os.getloadavg(),
        "note": "a 2-core machine shared with other engineers: read the ratios",
    }
    results = {
        "pages": pages, "fragments": fragments, "peers": peers, "after_write": after_write,
        "engine_evaluations_per_write": engine, "machine": machine,
    }  # fmt: skip
    (BENCH / "results.json").write_text(json.dumps(results, indent=2) + "\n")

    print()
    header = f"{'page':<16}{'small p50':>10}{'p95':>8}{'large p50':>11}{'p95':>8}{'large/small':>13}{'queries':>10}"
    print(header)
    print("-" * len(header))
    for name, row in pages.items():
        flag = "" if row["large_over_small"] <= 1.5 else "  > 1.5"
        print(
            f"{name:<16}{row['small_p50_ms']:>10.1f}{row['small_p95_ms']:>8.1f}{row['large_p50_ms']:>11.1f}"
            f"{row['large_p95_ms']:>8.1f}{row['large_over_small']:>13.2f}"
            f"{str(row['queries_small']) + '/' + str(row['queries_large']):>10}{flag}"
        )
    print()
    print(f"{'fragment':<22}{'fragment/page':>14}")
    for name, row in fragments.items():
        flag = "" if row["fragment_over_page"] <= 0.5 else "  > 0.5"
        print(f"{name:<22}{row['fragment_over_page']:>14.2f}{flag}")
    print()
    print(f"decision log / admin changelist: {peers['decision_log_over_admin_changelist']:.2f} (target <= 1)")
    print(f"search / admin search:           {peers['search_over_admin_search']:.2f} (target <= 0.2)")
    print()
    print(f"{'first requests after a status update (large)':<46}{'p50':>8}{'max':>8}")
    for name, row in after_write.items():
        flag = "" if row["large_p50_ms"] <= 150 else "  > 150 ms"
        print(f"{name:<46}{row['large_p50_ms']:>8.1f}{row['large_max_ms']:>8.1f}{flag}")
    for scale, counted in engine.items():
        print(
            f"{scale}: {counted['writes']} writes, {counted['writes_then_an_engine_page']} of them followed by a "
            f"page of the engine's (twice), {counted['evaluations']} engine evaluations (2 workers)"
        )
    print(f"load average before and after: {machine['load_before']} {machine['load_after']}")
    print("Written to bench/results.json")


if __name__ == "__main__":
    main()
