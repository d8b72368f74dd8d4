#!/usr/bin/env python3
"""Writes schema/cognito-idp.json from the cognito-idp service model that ships with botocore.

The emulator validates requests against this file, so constraints are never retyped by hand.
Documentation is stripped to keep the embedded model small; everything else is kept as botocore
spells it. Structure members keep model order (AWS reports violations in that order); only the
shape and operation tables are sorted by name so regenerating gives a minimal diff.

Usage: python3 schema/generate.py   (from anywhere; writes next to this script)
"""

import json
import pathlib
import sys

import botocore
import botocore.session

# Keys that only carry prose or samples; the validator never reads them.
STRIPPED_KEYS = frozenset({"documentation", "documentationUrl", "examples"})

# cmake/embed.cmake wraps the file in a raw string literal with this delimiter.
EMBED_DELIMITER = ')cognitod_embed"'


def strip(node):
    """Returns node without documentation keys, keeping the order of everything else."""
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in STRIPPED_KEYS}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def main():
    loader = botocore.session.get_session().get_component("data_loader")
    model = strip(loader.load_service_model("cognito-idp", "service-2"))
    for table in ("operations", "shapes"):
        model[table] = dict(sorted(model[table].items()))
    # Records where the model came from, so a diff shows which botocore produced it.
    model["metadata"]["x-cognitod-source"] = "botocore " + botocore.__version__

    text = json.dumps(model, indent=1, ensure_ascii=False) + "\n"
    if EMBED_DELIMITER in text:
        sys.exit("generate.py: the model contains the embed delimiter " + EMBED_DELIMITER)

    output = pathlib.Path(__file__).resolve().parent / "cognito-idp.json"
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output} ({len(text.encode('utf-8'))} bytes)")


if __name__ == "__main__":
    main()
