# sotevault: two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= $(CURDIR)/data
LANDING ?= $(DATA_DIR)/landing
# The demo county: one year of the whole region (98 254 residents, ~1.9 M source rows).
DEMO_SEED ?= 2024
DEMO_START ?= 2024-01-01
DEMO_DAYS ?= 366
DEMO_SCALE ?= 1.0
PYTEST_ARGS ?=

export SOTEVAULT_DATA_DIR := $(DATA_DIR)
export SOTEVAULT_LANDING_DIR := $(LANDING)
export DAGSTER_HOME := $(DATA_DIR)/dagster

.PHONY: install run demo-data test guard spark lint typecheck dev docs contracts lineage clean bench bench-vault bench-hash bench-depth bench-guard

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

$(LANDING)/.generated: | $(STAMP)
	$(BIN)/sotevault generate --landing $(LANDING) --seed $(DEMO_SEED) --start $(DEMO_START) \
		--days $(DEMO_DAYS) --scale $(DEMO_SCALE)
	touch $@

demo-data: $(LANDING)/.generated

run: $(STAMP) demo-data
	$(BIN)/sotevault run --landing $(LANDING) --data-dir $(DATA_DIR)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -n 2 -m "not guard and not spark" $(PYTEST_ARGS)

# The vault load's ratio guard (tests/integration/test_bench_guard.py, ~3 min), alone on the
# machine: its ratios are of timings, which a test beside it would disturb. CI runs it.
guard: $(STAMP)
	$(BIN)/pytest -m guard $(PYTEST_ARGS)

# The same dbt models on Apache Spark (dbt-spark, in-process pyspark on Java 17): the raw vault
# of a small county built in two loads on Spark and on DuckDB, compared row by row (~4 min).
# In an environment of its own (pyproject.toml, extra `spark`: pandera imports pyspark when
# it is installed, which the pipeline's environment should not pay for).
SPARK_VENV := .venv-spark
SPARK_STAMP := $(SPARK_VENV)/.installed

$(SPARK_STAMP): pyproject.toml
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install --quiet --upgrade pip
	$(SPARK_VENV)/bin/pip install --quiet -e ".[dev,spark]"
	touch $(SPARK_STAMP)

spark: $(SPARK_STAMP)
	$(SPARK_VENV)/bin/pytest -m spark $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

docs: $(STAMP)
	cd dbt_project && ../$(BIN)/dbt docs generate --profiles-dir .
	@echo "dbt docs: dbt_project/target/index.html (serve: cd dbt_project && ../$(BIN)/dbt docs serve --profiles-dir .)"
	$(BIN)/python -m sotevault.expectations.docs --data-dir $(DATA_DIR)

# The published source contracts (docs/contracts), generated from contracts/ and seeds/.
contracts: $(STAMP)
	$(BIN)/sotevault contracts export docs/contracts

dev: $(STAMP)
	$(BIN)/python -c "from sotevault.instance import prepare_environment; from pathlib import Path; prepare_environment(Path('$(DATA_DIR)'), Path('$(LANDING)'))"
	DAGSTER_EVENT_BATCH_SIZE=$$($(BIN)/python -c 'from sotevault.instance import EVENT_BATCH_SIZE; print(EVENT_BATCH_SIZE)') \
		$(BIN)/dagster dev -m orchestration.definitions

# Column lineage of every model into audit.column_lineage and docs/lineage.md; fails on a
# published column that derives from the pseudonym other than by counting.
lineage: $(STAMP)
	$(BIN)/sotevault lineage --data-dir $(DATA_DIR) --write-docs docs/lineage.md

# Benchmarks: not part of `make test`; results go to bench/results/ and docs/benchmarks.md.
# BENCH_SCENARIOS: y1 (a year, scale 1), y10 (ten years, scale 1), s10 (a year, scale 10).
BENCH_SCENARIOS ?= y1 y10 s10
bench: bench-hash bench-vault bench-depth

bench-vault: $(STAMP)
	$(BIN)/python bench/vault_bench.py $(BENCH_SCENARIOS)
	$(BIN)/python bench/report.py

# A satellite load into 1 × and 5 × the history of the same 2 M keys (the issue's own shape).
bench-depth: $(STAMP)
	$(BIN)/python bench/sat_depth.py

bench-hash: $(STAMP)
	$(BIN)/python bench/hash_keys.py 2000000

# The ratio guard CI runs (tests/integration/test_bench_guard.py), printed.
bench-guard: $(STAMP)
	$(BIN)/python bench/guard.py

clean:
	rm -rf $(DATA_DIR)
