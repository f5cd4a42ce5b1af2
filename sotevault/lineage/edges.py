"""One step of column lineage: a model column and a column it is computed from."""

from __future__ import annotations

from dataclasses import dataclass

# The layers whose columns are published: the marts (analysts, the report) and the Parquet exports.
PUBLISHED_LAYERS = ("marts", "exports")


@dataclass(frozen=True)
class LineageEdge:
    """`model.column` is computed from `source_model.source_column`.

    `through_aggregate`: every path from the source column to this column, inside this model's
    SQL, passes through a counting aggregate (`count(distinct hk_person)`): the column holds how
    many, never which. A column computed from no column at all has one edge whose source is None.
    `model_layer` and `source_layer` name the dbt folder (staging, raw_vault, business_vault,
    marts, exports), or `seed` or `source`; sources are named `<source>.<table>` (raw.aptj_a).
    """

    model: str
    column: str
    source_model: str | None
    source_column: str | None
    through_aggregate: bool
    model_layer: str
    source_layer: str | None

    @property
    def target(self) -> tuple[str, str]:
        return (self.model, self.column)

    @property
    def source(self) -> tuple[str, str] | None:
        if self.source_model is None or self.source_column is None:
            return None
        return (self.source_model, self.source_column)

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.model, self.column, self.source_model or "", self.source_column or "")
