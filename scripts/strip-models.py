#!/usr/bin/python3
"""Writes models/stripped/<name>.json: the botocore service models in models/ without their
"documentation" members, which the protocol library embeds at build time.

Usage: /usr/bin/python3 scripts/strip-models.py [--check]

The output keeps every other key and the original key order (member order is the wire order of
query responses). One operation or shape per line keeps diffs reviewable. With --check, nothing is
written; the exit status is 1 when a stripped file is missing or out of date.
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
OUT = MODELS / "stripped"
NAMES = [
    "iam-2010-05-08",
    "sts-2011-06-15",
    "organizations-2016-11-28",
    "account-2021-02-01",
]
DROPPED_KEYS = {"documentation", "documentationUrl"}


def strip(value):
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k not in DROPPED_KEYS}
    if isinstance(value, list):
        return [strip(v) for v in value]
    return value


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True)


def render(model):
    """The model as JSON with each operation and each shape on a line of its own."""
    parts = []
    for key, value in model.items():
        if key in ("operations", "shapes") and isinstance(value, dict):
            entries = ",\n".join(f"{compact(name)}:{compact(item)}" for name, item in value.items())
            parts.append(f"{compact(key)}:{{\n{entries}\n}}")
        else:
            parts.append(f"{compact(key)}:{compact(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def main(argv):
    check = "--check" in argv[1:]
    stale = []
    if not check:
        OUT.mkdir(parents=True, exist_ok=True)
    for name in NAMES:
        with open(MODELS / f"{name}.json", encoding="utf-8") as f:
            model = json.load(f)
        text = render(strip(model))
        if json.loads(text) != strip(model):
            raise SystemExit(f"{name}: rendering changed the model")
        target = OUT / f"{name}.json"
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        if check:
            stale.append(str(target.relative_to(ROOT)))
        else:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)} ({len(text)} bytes)")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
