"""Vectorised categorical draws: a code per row from a table of probabilities per category."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

StrArray = npt.NDArray[np.str_]


def draw(rng: np.random.Generator, table: Mapping[str, float], n: int) -> StrArray:
    """n codes drawn from {code: weight}."""
    codes = np.array(list(table))
    weights = np.array(list(table.values()), dtype=np.float64)
    result: StrArray = codes[rng.choice(len(codes), n, p=weights / weights.sum())]
    return result


def draw_by(
    rng: np.random.Generator,
    category: npt.NDArray[np.generic],
    tables: Mapping[Any, Mapping[str, float]],
    default: Mapping[str, float],
) -> StrArray:
    """A code per row, drawn from the table of the row's category (one pass per category)."""
    width = max(len(code) for t in [*tables.values(), default] for code in t)
    result = np.full(len(category), "", dtype=f"<U{width}")
    for value in np.unique(category):
        rows = np.flatnonzero(category == value)
        result[rows] = draw(rng, tables.get(value.item(), default), len(rows))
    return result


def lookup(
    values: npt.NDArray[np.generic], mapping: Mapping[str, object], default: object = ""
) -> npt.NDArray[np.generic]:
    """mapping[value] for every row (one dict look-up per distinct value, not per row)."""
    distinct, inverse = np.unique(values, return_inverse=True)
    mapped = np.array([mapping.get(str(v), default) for v in distinct.tolist()])
    result: npt.NDArray[np.generic] = mapped[inverse] if len(distinct) else np.array([], dtype=mapped.dtype)
    return result
