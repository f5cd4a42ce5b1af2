"""Render every contract document and write them into a directory (`sotevault contracts export`).

The output depends on the contracts, the registry and the seeds only: sorted keys, a fixed
order, no time stamps, so a test can tell when the committed copy in docs/contracts is stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from contracts.sources import CONTRACTS
from sotevault.contract_docs.files import FileFacts
from sotevault.contract_docs.markdown import index_page, page_name, schema_name, source_page
from sotevault.contract_docs.schema import GENERATED, Schema, source_schema
from sources.registry import SOURCES

INDEX = "index.md"
# Enough of a file's start to hold the GENERATED notice (a page's first line, a schema's $comment).
_HEAD_CHARS = 400


def render_contract_docs() -> dict[str, str]:
    """Every document by file name: per source a page and a schema, and the index."""
    sources = [(CONTRACTS[spec.name], FileFacts(spec)) for spec in SOURCES]
    documents = {INDEX: index_page(sources)}
    for contract, facts in sources:
        documents[page_name(contract.source)] = source_page(contract, facts)
        documents[schema_name(contract.source)] = schema_json(source_schema(contract, facts))
    return dict(sorted(documents.items()))


def schema_json(schema: Schema) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def export_contract_docs(directory: Path) -> list[Path]:
    """Write the documents into `directory`; remove generated ones no source has any more.

    Only files that carry the GENERATED notice are ever removed, so pointing this at a
    directory holding other files leaves those alone.
    """
    directory.mkdir(parents=True, exist_ok=True)
    documents = render_contract_docs()
    written = []
    for name, text in documents.items():
        path = directory / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    for path in sorted(directory.iterdir()):
        if path.name not in documents and is_generated(path):
            path.unlink()
    return written


def is_generated(path: Path) -> bool:
    """Whether a file is one this export wrote (it carries the GENERATED notice)."""
    if not path.is_file():
        return False
    with path.open(encoding="utf-8", errors="replace") as handle:
        return GENERATED in handle.read(_HEAD_CHARS)
