"""Throughput and latency under concurrent load: gunicorn with 1 and with 2 workers on loopback, driven
by `wrk` (Debian package) with 20 connections; every request is a distinct article so the response cache
never answers. Both servers run at once and are driven in turn, `--rounds` times, so that a machine whose other
load comes and goes weighs on both alike; the scaling is the median of the rounds' ratios.

    python benchmarks/load.py [--seconds 60] [--rounds 1] [--connections 20] [--config gunicorn.conf.py] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import uuid
from contextlib import ExitStack
from pathlib import Path

from common import ROOT, SEED, gunicorn_process, machine, workers_cpu_seconds

LUA = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = 0
local run = ""
function init(args)
  run = args[1]
end
local blocks = %s
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  -- a new first block each time, distinct across wrk's threads and runs: a cache miss, with the same NLP work
  local body = '{"blocks": [{"id": "' .. run .. '-t' .. tid .. '-' .. n .. '", "text": "x"}, ' .. blocks .. ']}'
  return wrk.format(nil, "/api/v1/analyze", nil, body)
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %%d, \\"errors\\": %%d, \\"non2xx\\": %%d, \\"seconds\\": %%f, \\"p50\\": %%f, \\"p95\\": %%f, \\"p99\\": %%f}\\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def drive(server: tuple, seconds: int, connections: int, lua: Path) -> dict:
    port, master = server
    cpu = workers_cpu_seconds(master.pid)
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(lua),
                          f"http://127.0.0.1:{port}", "--", uuid.uuid4().hex], capture_output=True, text=True,
                         check=True).stdout
    result = json.loads(re.search(r"^JSON (.*)$", out, re.M).group(1))
    result["cpu"] = workers_cpu_seconds(master.pid) - cpu
    return result


def run(seconds: int, rounds: int, connections: int, kb: Path, lua: Path, config: Path) -> tuple[dict, list[float]]:
    with ExitStack() as stack:
        servers = {w: stack.enter_context(gunicorn_process(w, kb, config)) for w in (1, 2)}
        for server in servers.values():  # warm every worker before measuring
            drive(server, 5, connections, lua)
        runs: dict[int, list[dict]] = {w: [] for w in servers}
        for _ in range(rounds):
            for w, server in servers.items():
                runs[w].append(drive(server, seconds, connections, lua))
    ratios = [(b["requests"] / b["seconds"]) / (a["requests"] / a["seconds"]) for a, b in zip(runs[1], runs[2])]
    totals = {}
    for w, results in runs.items():
        merged = {k: sum(r[k] for r in results) for k in ("requests", "errors", "non2xx", "seconds", "cpu")}
        merged.update({k: statistics.median(r[k] for r in results) for k in ("p50", "p95", "p99")})
        merged["throughput"] = merged["requests"] / merged["seconds"]
        totals[w] = merged
    return totals, ratios


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1, help="drive the two servers in turn this many times")
    parser.add_argument("--config", type=Path, default=ROOT / "gunicorn.conf.py", help="another gunicorn config to compare")
    parser.add_argument("--no-write", action="store_true", help="print the table only, leave docs/ alone")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp())
    kb = tmp / "knowledge.sqlite3"
    from reader_context.knowledge import open_knowledge

    open_knowledge(kb)
    blocks = [{"id": f"p{i}", "text": t} for i, t in enumerate(SEED.read_text(encoding="utf-8").splitlines()) if t.strip()]
    lua = tmp / "post.lua"
    # A Lua long string holds the JSON without any escaping.
    lua.write_text(LUA % ("[==[" + json.dumps(blocks, ensure_ascii=False)[1:-1] + "]==]"), encoding="utf-8")

    results, ratios = run(args.seconds, args.rounds, args.connections, kb, lua, args.config)
    # The workers' CPU time says what a wall-clock ratio cannot on a machine shared with other work: how many cores
    # the workers got, and what a request costs on them.
    lines = ["| workers | requests | errors | requests/s | p50 ms | p95 ms | p99 ms | cores used | CPU ms a request |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for w, r in results.items():
        lines.append(f"| {w} | {r['requests']:,} | {r['errors'] + r['non2xx']} | {r['throughput']:.1f} | {r['p50']:.0f} | "
                     f"{r['p95']:.0f} | {r['p99']:.0f} | {r['cpu'] / r['seconds']:.2f} | "
                     f"{1000 * r['cpu'] / max(r['requests'], 1):.0f} |")
    ratio = statistics.median(ratios)
    rounds = f" (median of {len(ratios)} rounds: {', '.join(f'{r:.2f}' for r in ratios)})" if len(ratios) > 1 else ""
    report = ("\n".join(lines) + f"\n\nScaling, 2 workers against 1: **{ratio:.2f}×**{rounds}. Each request: the seed "
              f"article ({len(blocks)} blocks, 358 words), {args.connections} connections, {args.seconds} s a round, "
              "wrk on the same machine.")
    print(report)
    if not args.no_write:
        (ROOT / "docs" / "benchmarks-load.md").write_text(f"Machine: {machine()}.\n\n{report}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
