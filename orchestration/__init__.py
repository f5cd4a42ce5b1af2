"""Dagster orchestration: assets by stage, resources, jobs. No SQL and no business rules here."""
