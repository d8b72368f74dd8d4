#!/usr/bin/env python3
"""Runs clang-tidy (.clang-tidy's checks) over cognitod's own sources and fails on any finding.

    scripts/tidy.py BUILD_DIR [FILE ...]

BUILD_DIR is a CMake tree configured with CMAKE_EXPORT_COMPILE_COMMANDS=ON; FILE, when given,
limits the run to those sources. Every source of server/, storage/ and schema/ is checked, and
the project's headers through them. clang-tidy takes some 20 s of CPU a file, so each file's
result is kept under $COGNITOD_TIDY_CACHE (default ~/.cache/cognitod-tidy), keyed by what decides
it: clang-tidy's version, .clang-tidy, the compile command and the preprocessed source. A warm
run checks only what changed.
"""
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("server/", "storage/", "schema/")
TIDY = os.environ.get("CLANG_TIDY", "clang-tidy-14" if subprocess.run(
    ["sh", "-c", "command -v clang-tidy-14"], capture_output=True).returncode == 0 else "clang-tidy")


def preprocessed(entry):
    """The translation unit as the compiler sees it: a change in any header it includes shows."""
    args = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    if args and args[0].endswith("ccache"):
        args = args[1:]
    # Drop the output and dependency-file options; preprocess to stdout instead.
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if arg in ("-c", "-MD", "-MMD"):
            continue
        kept.append(arg)
    # -C keeps comments (NOLINT lives in them); the line markers keep line numbers in the key.
    run = subprocess.run(kept + ["-E", "-C", "-o", "-"], cwd=entry["directory"],
                         capture_output=True)
    if run.returncode != 0:
        raise RuntimeError(f"{entry['file']}: preprocessing failed:\n{run.stderr.decode()}")
    return run.stdout, args


def check(entry, build_dir, cache, version, config):
    source, args = preprocessed(entry)
    # The checkout's and the build tree's paths left out, so a fresh clone elsewhere hits too.
    def portable(text):
        return text.replace(str(build_dir).encode(), b"@BUILD@").replace(
            str(ROOT).encode(), b"@ROOT@")
    key = hashlib.sha256()
    for part in (version, config, portable(" ".join(args).encode()), portable(source)):
        key.update(hashlib.sha256(part).digest())
    cached = cache / key.hexdigest()
    if cached.exists():
        return entry["file"], cached.read_text().replace("@ROOT@", str(ROOT)), True
    header_filter = "^" + re.escape(str(ROOT)) + "/(server|storage|schema)/"
    run = subprocess.run(
        [TIDY, "-p", str(build_dir), "--quiet", f"--header-filter={header_filter}",
         entry["file"]],
        capture_output=True, text=True, cwd=ROOT)
    # Only findings in the project's files count; clang-tidy's tallies of what it suppressed do
    # not.
    findings = "\n".join(
        line for line in run.stdout.splitlines()
        if re.match(re.escape(str(ROOT)) + r"/\S+:\d+:\d+: (warning|error):", line))
    if run.returncode != 0 and not findings:
        findings = f"{entry['file']}: clang-tidy failed ({run.returncode}):\n{run.stderr}"
    cache.mkdir(parents=True, exist_ok=True)
    cached.write_text(findings.replace(str(ROOT), "@ROOT@"))
    return entry["file"], findings, False


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    build_dir = Path(sys.argv[1]).resolve()
    wanted = {str((ROOT / f).resolve()) for f in sys.argv[2:]}
    entries = json.loads((build_dir / "compile_commands.json").read_text())
    chosen, seen = [], set()
    for entry in entries:
        path = str(Path(entry["directory"], entry["file"]).resolve())
        relative = os.path.relpath(path, ROOT)
        if not relative.startswith(CHECKED) or path in seen or (wanted and path not in wanted):
            continue
        seen.add(path)
        chosen.append(dict(entry, file=path))
    if not chosen:
        sys.exit("tidy: no sources chosen from " + str(build_dir / "compile_commands.json"))
    cache = Path(os.environ.get("COGNITOD_TIDY_CACHE",
                                Path.home() / ".cache" / "cognitod-tidy"))
    version = subprocess.run([TIDY, "--version"], capture_output=True).stdout
    config = (ROOT / ".clang-tidy").read_bytes()
    findings, hits = {}, 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for name, text, hit in pool.map(
                lambda e: check(e, build_dir, cache, version, config), chosen):
            hits += hit
            for line in text.splitlines():
                findings.setdefault(line, name)
    for line in sorted(findings):
        print(line)
    print(f"clang-tidy: {len(chosen)} files ({hits} unchanged since a checked run), "
          f"{len(findings)} findings")
    sys.exit(1 if findings else 0)


if __name__ == "__main__":
    main()
