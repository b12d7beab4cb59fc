"""What every benchmark shares: the texts, the machine line, and medians."""

from __future__ import annotations

import os
import platform
import statistics
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from gunicorn_server import running_gunicorn, worker_pids  # noqa: E402  (the tests' harness, one for both)
SHARED = Path(os.environ.get("SHARED", ROOT.parent / "shared"))
SEED = SHARED / "seed" / "palmyra-article.txt"
PTC = SHARED / "data" / "ptc-dev" / "articles"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}, {platform.system()}"


def paragraphs_of_ptc() -> list[str]:
    """Real news paragraphs (PTC articles, read at run time): line 1 is a title, then one sentence a line."""
    out = []
    for path in sorted(PTC.glob("article*.txt")):
        lines = [l.strip() for l in path.read_text(encoding="utf-8").splitlines()[2:] if l.strip()]
        # Three sentences a paragraph, roughly what a news page's <p> holds.
        out += [" ".join(lines[i:i + 3]) for i in range(0, len(lines), 3)]
    return out


def article_of(words: int, start: int = 0) -> list[str]:
    """Paragraphs of real news adding up to about `words` words."""
    paras, total, i = [], 0, start
    pool = paragraphs_of_ptc()
    while total < words:
        p = pool[i % len(pool)]
        paras.append(p)
        total += len(p.split())
        i += 1
    return paras


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


@contextmanager
def gunicorn_process(workers: int, kb: Path, config: Path = ROOT / "gunicorn.conf.py", **env_extra: str):
    """The deployment's own server (gunicorn.conf.py) on a free loopback port, offline, without limits or
    request logs; yields (port, master process) once /health answers."""
    env = {"READER_CONTEXT_KB_PATH": str(kb), "READER_CONTEXT_ONLINE": "never", "READER_CONTEXT_RATE_LIMIT_ENABLED": "false",
           "READER_CONTEXT_REQUEST_LOG": "false", "WEB_CONCURRENCY": str(workers), **env_extra}
    with running_gunicorn(["--config", str(config)], env, cwd=ROOT) as (port, server):
        yield port, server


@contextmanager
def gunicorn(workers: int, kb: Path, config: Path = ROOT / "gunicorn.conf.py", **env_extra: str):
    with gunicorn_process(workers, kb, config, **env_extra) as (port, _server):
        yield port


def workers_cpu_seconds(master: int) -> float:
    """CPU time (user + system) the master's workers have used so far."""
    total = 0.0
    for pid in worker_pids(master):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total
