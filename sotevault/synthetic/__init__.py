"""Synthetic source exports of the county: the six sources of sources.md from one seed.

`generate_county` writes the landing area and returns a `GenerationReport` naming every
file, the rows per source, every deliberately bad row and where each scenario was placed.
"""

from sotevault.synthetic.county import generate_county
from sotevault.synthetic.report import GenerationReport, InjectedFault

__all__ = ["GenerationReport", "InjectedFault", "generate_county"]
