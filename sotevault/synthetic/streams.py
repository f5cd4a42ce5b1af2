"""Independent random streams derived from the seed, one per named part of the generator.

Each part draws from its own stream, so adding draws to one part never shifts another's.
"""

from __future__ import annotations

import zlib

import numpy as np


def child_rng(seed: int, name: str) -> np.random.Generator:
    """A generator for one named part; crc32 is stable across runs (unlike hash())."""
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])
