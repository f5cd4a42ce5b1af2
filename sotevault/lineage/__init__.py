"""Column-level lineage of the dbt project, and the proof that no published column is person-level.

`build_lineage` compiles the project and traces every model column to the columns it is computed
from; `person_level_violations` lists the mart and export columns that derive from the pseudonym
other than by counting; `write_lineage_table` keeps the lineage as `audit.column_lineage`;
`render_lineage_page` writes docs/lineage.md. The rules are in `sotevault.lineage.sql` and
`sotevault.lineage.proof`, and on the page.
"""

from sotevault.lineage.edges import PUBLISHED_LAYERS, LineageEdge
from sotevault.lineage.page import render_lineage_page
from sotevault.lineage.project import build_lineage, compile_project, lineage_from_manifest, sqlglot_schema
from sotevault.lineage.proof import (
    Violation,
    identity_chain,
    identity_columns,
    identity_roots,
    origins,
    person_level_violations,
)
from sotevault.lineage.sql import COUNTING_AGGREGATES, LineageError, query_lineage
from sotevault.lineage.table import write_lineage_table

__all__ = [
    "COUNTING_AGGREGATES",
    "PUBLISHED_LAYERS",
    "LineageEdge",
    "LineageError",
    "Violation",
    "build_lineage",
    "compile_project",
    "identity_chain",
    "identity_columns",
    "identity_roots",
    "lineage_from_manifest",
    "origins",
    "person_level_violations",
    "query_lineage",
    "render_lineage_page",
    "sqlglot_schema",
    "write_lineage_table",
]
