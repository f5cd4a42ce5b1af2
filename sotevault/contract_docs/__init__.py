"""The published source contracts: per source a JSON Schema and a Markdown page, and an index.

Built from `contracts` (fields, kinds, rules), `sources.registry` (file names and encodings)
and the code-list seeds; `sotevault contracts export DIR` writes them (docs/contracts).
"""

from sotevault.contract_docs.export import export_contract_docs, render_contract_docs

__all__ = ["export_contract_docs", "render_contract_docs"]
