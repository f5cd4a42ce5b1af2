{#-
  Data tests on the raw vault read the rows loaded since they last passed, not the history.

  The raw vault is insert-only and every row carries the ingestion batch that loaded it
  (`load_batch`), so a row-local test (not_null, not_null_columns, accepted_values,
  relationships) that passed on a row passes on it for good, as long as the test, and the seed
  or insert-only vault table it compares with, stay the same. At ten years these tests read 25 M
  keys every night (29.6 s of a 153 s run: docs/benchmarks.md); now they read the new rows.

  - A test that passed records, in `audit.tested_batches`, the batch its model had loaded
    through (its watermark) and a fingerprint of its definition (the test, its arguments, its
    severity, the checksums of the seeds it compares with). The next run tests the rows after
    that batch. A test that failed or warned records nothing, so it fails again on the same
    rows until they are fixed, as a test of the whole table would.
  - Uniqueness is not row-local: a unique test reads the rows whose key is one of the new rows'
    keys, old rows included, so a new row that repeats an old key fails it.
  - Everything is tested again when the definition changes, when the vault model is rebuilt from
    scratch (its pre-hook forgets its tests' records), under `--full-refresh`, and with
    `--vars '{sotevault_test_all_rows: true}'` (a periodic full check, or after a release that
    changed a generic test's macro, which the fingerprint does not see).
  - The business vault's incremental current states (macros/business_vault/current_state.sql)
    are rewritten key by key: a build recomputes the keys that satellite rows after its last
    batch touched (`touched_by` in the model's meta). Their `unique` and `unique_combination`
    tests read the rows sharing a key with a row of the keys touched after the batch the test
    last passed through. Their other row-local tests (relationships to a current state aside,
    below) read every row: finding the touched keys scans the random 16-byte key columns, which
    at ten years cost more (0.23–0.26 s) than testing a column of every row (0.04–0.06 s). The
    model's definition fingerprint, from its last build, is part of the test's: a build that
    recomputed every key because its definition changed makes its tests read every row, and a
    build from scratch forgets its tests' records.
  - A relationships test whose parent is a current state that never loses a key (rewritten key
    by key, not filtered: bv_visit_current, bv_social_delivery_current, bv_omaolo_transaction)
    reads the child's new or touched rows too, under the parent's build fingerprint; at ten
    years looking every child key up in the parent took 1.4 s (bv_social_contact →
    bv_social_delivery_current).
  - Only these models, only these tests, only without a `where` config of their own; a
    relationships test whose parent is another business-vault table (rebuilt by every run, or
    filtered like bv_social_contact, which can lose a row) reads every row. Other engines test
    every row (`spark__tested_rows`).
-#}

{%- macro tested_batches() -%}audit.tested_batches{%- endmacro -%}

{#- Overrides dbt's macro of the same name, which wraps the model every generic test reads (the
    root project's macro wins over dbt's own). -#}
{%- macro get_where_subquery(relation) -%}
    {{ return(adapter.dispatch('tested_rows', 'sotevault')(relation)) }}
{%- endmacro -%}

{%- macro default__tested_rows(relation) -%}
    {%- set scope = sotevault.incremental_test_scope() -%}
    {%- if scope is none -%}
        {{ return(dbt.default__get_where_subquery(relation)) }}
    {%- endif -%}
    {%- set marker = sotevault.tested_rows_marker(scope) -%}
    {%- set kind = model.test_metadata.name -%}
    {%- if scope.since == 0 -%}
        {%- set rows -%}(select * from {{ relation }} {{ marker }}) dbt_subquery{%- endset -%}
    {%- elif kind in ('unique', 'unique_combination') -%}
        {%- set columns = [model.test_metadata.kwargs.column_name] if kind == 'unique' else model.test_metadata.kwargs.columns -%}
        {%- set rows -%}
            (select * from {{ relation }} as tested_rows where exists (
                select 1 from {{ relation }} as new_rows
                where {{ sotevault.new_rows_predicate(scope, 'new_rows.') }}
                {%- for column in columns %}
                  and new_rows.{{ column }} is not distinct from tested_rows.{{ column }}
                {%- endfor %}
            ) {{ marker }}) dbt_subquery
        {%- endset -%}
    {%- else -%}
        {%- set rows -%}(select * from {{ relation }} where {{ sotevault.new_rows_predicate(scope) }} {{ marker }}) dbt_subquery{%- endset -%}
    {%- endif -%}
    {{ return(rows) }}
{%- endmacro -%}

{#- The rows a restricted test reads: loaded after batch `since` (raw vault), or of a key that
    satellite rows after it touched (current states). -#}
{%- macro new_rows_predicate(scope, alias='') -%}
    {%- if scope.touched_by -%}
        {{ return(sotevault.touched_rows_predicate(scope.touched_by, scope.since, alias)) }}
    {%- endif -%}
    {{ return(alias ~ 'load_batch > ' ~ scope.since) }}
{%- endmacro -%}

{%- macro spark__tested_rows(relation) -%}
    {{ return(dbt.default__get_where_subquery(relation)) }}
{%- endmacro -%}

{#- For a data test that may read only the new rows: {'since': the batch it passed through last
    (0: never, test every row), 'through': its model's watermark, 'model', 'fingerprint'};
    none for a test that reads every row. -#}
{%- macro incremental_test_scope() -%}
    {%- if not execute or flags.WHICH not in ('build', 'test', 'retry') or flags.FULL_REFRESH
          or var('sotevault_test_all_rows', false) or config.get('where') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if model.resource_type != 'test' or not model.test_metadata
          or model.test_metadata.name not in ('not_null', 'not_null_columns', 'accepted_values', 'relationships', 'unique', 'unique_combination') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set tested = graph.nodes.get(model.attached_node) -%}
    {%- if tested is none -%}{{ return(none) }}{%- endif -%}
    {%- set touched_by = tested.config.meta.get('sotevault_touched_by') if tested.fqn[1] == 'business_vault' else none -%}
    {%- if tested.fqn[1] != 'raw_vault' and not touched_by -%}{{ return(none) }}{%- endif -%}
    {%- set compared = [] -%}
    {%- set parent_keeps_keys = [] -%}
    {%- for node_id in model.depends_on.nodes if node_id != model.attached_node -%}
        {%- set node = graph.nodes.get(node_id) -%}
        {%- if node is none -%}{{ return(none) }}{%- endif -%}
        {%- if node.resource_type == 'seed' -%}
            {%- do compared.append(node_id ~ '=' ~ node.checksum.checksum) -%}
        {%- elif node.fqn[1] == 'raw_vault' -%}
            {%- do compared.append(node_id ~ '=insert-only') -%}
        {%- elif sotevault.keeps_its_keys(node) -%}
            {%- set parent_build = sotevault.latest_build(node.alias) -%}
            {%- if parent_build is none -%}{{ return(none) }}{%- endif -%}
            {%- do compared.append(node_id ~ '=keeps its keys, built under ' ~ parent_build.fingerprint) -%}
            {%- do parent_keeps_keys.append(node_id) -%}
        {%- else -%}
            {{ return(none) }}
        {%- endif -%}
    {%- endfor -%}
    {#- On a current state, uniqueness and relationships to another current state are restricted;
        other row-local tests read every row: finding the touched keys scans the key columns
        (random 16-byte hashes), which costs more than testing a column of every row, but less
        than looking every key up in a table of millions of keys. -#}
    {%- if touched_by and model.test_metadata.name not in ('unique', 'unique_combination')
          and not (model.test_metadata.name == 'relationships' and parent_keeps_keys) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set definition = tojson(model.test_metadata) ~ '#' ~ model.config.severity ~ '#' ~ compared | sort | join(',') -%}
    {%- if touched_by -%}
        {#- A current state: through its last build, and under that build's definition. -#}
        {%- set build = sotevault.latest_build(tested.alias) -%}
        {%- if build is none -%}{{ return(none) }}{%- endif -%}
        {%- set definition = definition ~ '#built under ' ~ build.fingerprint -%}
    {%- endif -%}
    {%- set fingerprint = local_md5(definition) -%}
    {%- set query -%}
        select
            (select coalesce(max(load_batch), 0) from {{ sotevault.tested_batches() }}
             where test = '{{ model.unique_id }}' and fingerprint = '{{ fingerprint }}') as since,
            (select coalesce(max(load_batch), 0) from {{ sotevault.watermark_table() }}
             where model = '{{ tested.alias }}') as through
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {%- set through = build.through if touched_by else row[1] | int -%}
    {{ return({'since': row[0] | int, 'through': through, 'model': tested.alias, 'fingerprint': fingerprint, 'touched_by': touched_by}) }}
{%- endmacro -%}

{#- A business-vault current state that never loses a key under one definition: rewritten key by
    key from insert-only satellites, every key it recomputes gets its row again (not `filtered`).
    A relationships test to it need not look old child rows up again until its definition
    changes (its build's fingerprint is part of the test's). -#}
{%- macro keeps_its_keys(node) -%}
    {%- set meta = node.config.meta if node.resource_type == 'model' and node.fqn[1] == 'business_vault' else {} -%}
    {{ return(meta.get('sotevault_touched_by') is not none and not meta.get('sotevault_filtered')) }}
{%- endmacro -%}

{#- The comment a restricted test's SQL carries, for on-run-end to read back. -#}
{%- macro tested_rows_marker(scope) -%}
    /* sotevault tested rows: after batch {{ scope.since }} through batch {{ scope.through }} of {{ scope.model }}, definition {{ scope.fingerprint }} */
{%- endmacro -%}

{#- on-run-end: record the tests that passed on the rows they read. -#}
{%- macro record_tested_batches(results) -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set rows = [] -%}
    {%- for result in results if result.node.resource_type == 'test' and result.status == 'pass' -%}
        {%- set found = modules.re.findall('sotevault tested rows: after batch \\d+ through batch (\\d+) of (\\w+), definition (\\w+)', result.node.compiled_code or '') -%}
        {%- if found | length == 1 -%}
            {%- do rows.append("('" ~ result.node.unique_id ~ "', '" ~ found[0][1] ~ "', " ~ found[0][0] ~ ", '" ~ found[0][2] ~ "', '" ~ invocation_id ~ "', current_timestamp::timestamp)") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if rows -%}
    insert into {{ sotevault.tested_batches() }} values {{ rows | join(', ') }}
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro -%}
