"""Run every benchmark in this folder, then print benchmarks/results.json as a table.

Each ``bench_*.py`` runs in its own process (so peak RSS and model loads are its own) and merges its
keys into ``results.json``; this runner only orchestrates and reports, against the targets of issue 7.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"

# key -> (comparison, target) from issue 7; keys without a target are reported as measured.
TARGETS: dict[str, tuple[str, float]] = {
    "extract_words_per_s": (">=", 20_000),
    "extract_vs_tokenizer": ("<=", 3.0),
    "embed_overhead": ("<=", 1.10),
    "reembed_on_reingest": ("<=", 0),
    "ingest_vs_encode": ("<=", 1.3),
    "search_p95_ms": ("<=", 50),
    "compare_p95_ms": ("<=", 300),
}


def _meets(value: float, op: str, target: float) -> bool:
    return value >= target if op == ">=" else value <= target


def main() -> int:
    failed: list[str] = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
        if proc.returncode != 0:
            failed.append(script.name)
    if not RESULTS.exists():
        print("no results.json was written", file=sys.stderr)
        return 1
    results = json.loads(RESULTS.read_text())
    print()
    print(f"{'key':<26} {'value':>14}  {'target':>10}  ok")
    for key in sorted(results):
        value = results[key]
        if not isinstance(value, (int, float)):
            print(f"{key:<26} {str(value):>14}")
            continue
        op, target = TARGETS.get(key, ("", None))  # type: ignore[assignment]
        mark = "" if target is None else ("yes" if _meets(value, op, target) else "NO")
        shown = f"{op} {target:g}" if target is not None else ""
        print(f"{key:<26} {value:>14.4g}  {shown:>10}  {mark}")
    if failed:
        print(f"benchmarks that failed to run: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
