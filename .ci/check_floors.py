#!/usr/bin/env python3
"""Runs every evaluation in eval/floors.toml and fails when a figure is below its floor."""
import pathlib
import subprocess
import sys
import tomllib

root = pathlib.Path(__file__).resolve().parent.parent
floors = tomllib.loads((root / "eval" / "floors.toml").read_text())
binary = root / "target" / "release" / "newsdesk"
failed = False
for name, spec in floors.items():
    # Two floors can share an eval task on other data ("threads" runs `eval clusters`).
    task = spec.get("task", name)
    data = (root / spec["data"]).resolve()
    if not data.exists():
        print(f"SKIPPED eval {name}: {data} is absent")
        continue
    run = subprocess.run([str(binary), "eval", task, "--data", str(data)], capture_output=True, text=True)
    if run.returncode != 0:
        print(f"FAIL eval {name}: exit {run.returncode}\n{run.stderr}")
        failed = True
        continue
    metric, value = run.stdout.strip().splitlines()[-1].split()
    value = float(value)
    status = "ok" if metric == spec["metric"] and value >= spec["floor"] else "FAIL"
    failed |= status == "FAIL"
    print(f"{status} eval {name}: {metric} {value:.4f} (floor {spec['floor']})")
sys.exit(1 if failed else 0)
