"""Data contracts: one pandera contract per source, built from the field lists in `fields`."""
