"""Throughput and latency under concurrent load: gunicorn with 1 and then 2 workers on loopback, driven
by `wrk` (Debian package) with 20 connections; every request is a distinct article so the response cache
never answers.

    python benchmarks/load.py [--seconds 60] [--connections 20] [--config gunicorn.conf.py] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, SEED, gunicorn, machine

LUA = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = 0
local blocks = %s
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  -- a new first block each time, distinct across wrk's threads: a cache miss, with the same NLP work
  local body = '{"blocks": [{"id": "t' .. tid .. '-' .. n .. '", "text": "x"}, ' .. blocks .. ']}'
  return wrk.format(nil, "/api/v1/analyze", nil, body)
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %%d, \\"errors\\": %%d, \\"non2xx\\": %%d, \\"seconds\\": %%f, \\"p50\\": %%f, \\"p95\\": %%f, \\"p99\\": %%f}\\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def run(workers: int, seconds: int, connections: int, kb: Path, lua: Path, config: Path) -> dict:
    with gunicorn(workers, kb, config) as port:
        # Warm every worker before measuring.
        subprocess.run(["wrk", "-t2", f"-c{connections}", "-d5s", "-s", str(lua), f"http://127.0.0.1:{port}"],
                       capture_output=True, check=True)
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(lua),
                              f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
        result = json.loads(re.search(r"^JSON (.*)$", out, re.M).group(1))
        result["throughput"] = result["requests"] / result["seconds"]
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=20)
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

    results = {w: run(w, args.seconds, args.connections, kb, lua, args.config) for w in (1, 2)}
    lines = ["| workers | requests | errors | requests/s | p50 ms | p95 ms | p99 ms |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for w, r in results.items():
        lines.append(f"| {w} | {r['requests']:,} | {r['errors'] + r['non2xx']} | {r['throughput']:.1f} | {r['p50']:.0f} | "
                     f"{r['p95']:.0f} | {r['p99']:.0f} |")
    ratio = results[2]["throughput"] / results[1]["throughput"]
    report = ("\n".join(lines) + f"\n\nScaling, 2 workers against 1: **{ratio:.2f}×**. Each request: the seed article "
              f"({len(blocks)} blocks, 358 words), {args.connections} connections, {args.seconds} s, wrk on the same machine.")
    print(report)
    if not args.no_write:
        (ROOT / "docs" / "benchmarks-load.md").write_text(f"Machine: {machine()}.\n\n{report}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
