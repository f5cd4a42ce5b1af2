"""Ingestion: landed files → contract → raw tables, quarantine and load audit, per source batch."""
