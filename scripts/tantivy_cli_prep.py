#!/usr/bin/env python3
"""Prepare a tantivy-cli index that mirrors callsearch's fields, for the benchmark.

usage: tantivy_cli_prep.py EXPORT.ndjson OUT.ndjson INDEX_DIR

Writes INDEX_DIR/meta.json (an empty index with the export's fields: text with English
stemming and positions, metadata as words or raw strings, numbers and the date as fast
fields, everything stored) and OUT.ndjson, the export without null values, which
tantivy-cli rejects.
"""
import json
import os
import sys


def text(tokenizer, record):
    return {"indexing": {"record": record, "fieldnorms": True, "tokenizer": tokenizer},
            "stored": True, "fast": False}


def schema():
    fields = [{"name": "text", "type": "text", "options": text("en_stem", "position")}]
    for name in ["speaker", "firm", "role", "company", "ticker", "event", "fiscal_period",
                 "asked_by", "asked_by_firm"]:
        fields.append({"name": name, "type": "text", "options": text("default", "position")})
    for name in ["passage_id", "call_id", "source", "format", "section", "role_class",
                 "titles", "firm_norm"]:
        opts = text("raw", "basic")
        opts["fast"] = True
        fields.append({"name": name, "type": "text", "options": opts})
    number = {"indexed": True, "fieldnorms": False, "fast": True, "stored": True}
    for name in ["turn", "paragraph", "year", "question_turn"]:
        fields.append({"name": name, "type": "u64", "options": number})
    fields.append({"name": "date", "type": "date",
                   "options": dict(number, precision="seconds")})
    fields.append({"name": "boilerplate", "type": "bool", "options": number})
    return fields


def main():
    export, out, index_dir = sys.argv[1:4]
    os.makedirs(index_dir, exist_ok=True)
    meta = {"index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
            "segments": [], "schema": schema(), "opstamp": 0}
    with open(os.path.join(index_dir, "meta.json"), "w") as f:
        json.dump(meta, f)
    with open(export) as src, open(out, "w") as dst:
        for line in src:
            doc = {k: v for k, v in json.loads(line).items() if v is not None}
            dst.write(json.dumps(doc) + "\n")


if __name__ == "__main__":
    main()
