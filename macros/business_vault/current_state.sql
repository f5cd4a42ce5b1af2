{#-
  Business-vault current state kept incrementally: a nightly run rewrites the rows of the keys
  its batches touched, not the whole history (at ten years, rebuilding bv_social_delivery_current
  and bv_visit_current in full took 47 s of a 189 s nightly run: docs/benchmarks.md).

  A current-state model records, in `audit.business_vault_builds`, the batch its satellites had
  all loaded through when it was built, and a fingerprint of its definition (its own SQL and the
  content of the seeds it joins). The next build recomputes the keys with satellite rows after
  that batch (`load_batch`, which grows with every ingestion batch), deletes their old rows and
  inserts the new ones. When the definition changed — a new release of the model, a code list
  edited in a seed — or the table is built from scratch, every key is recomputed. The
  satellites are insert-only and every key they hold has a current row, so recomputing a key
  never has to remove one. What the fingerprint does not see is the macros a model calls
  (sat_latest, this file): a release that changes what they compute must rebuild the models
  with `dbt build --full-refresh --select bv_visit_current bv_social_delivery_current bv_social_contact
  bv_visit_contact bv_omaolo_transaction`.

  A current state derived from other business-vault tables and filtered (bv_social_contact: a
  delivery counts while it is not withdrawn and its decision is granted) may have to lose a
  key's row when the key is recomputed. Such a model names, for each of its key columns, the
  satellites whose new rows touch it (`touched_by`, with `filtered`); before inserting, its
  pre-hook deletes the rows of every touched key (all rows when every key is recomputed), and
  the recomputed keys that still qualify are inserted. Its fingerprint covers the
  business-vault models it reads too (their SQL and their seeds): a new code list that turns a
  decision's outcome into a refusal recomputes every key.
-#}

{%- macro business_vault_builds() -%}audit.business_vault_builds{%- endmacro -%}

{#- The model config: incremental delete + insert by key where the engine deletes; a table rebuilt
    by every run elsewhere (Spark on Parquet has no DELETE). `touched_by`: [[key column, [the
    satellites whose new rows touch it]], ...] — what a build recomputes, kept in the model's
    meta for its data tests (macros/tests/tested_rows.sql). `filtered`: a recomputed key may lose
    its row, so the touched keys' rows are deleted first, then the recomputed rows appended. -#}
{%- macro current_state_config(unique_key, touched_by, filtered=false) -%}
    {{ return(adapter.dispatch('current_state_config', 'sotevault')(unique_key, touched_by, filtered)) }}
{%- endmacro -%}

{%- macro default__current_state_config(unique_key, touched_by, filtered=false) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append' if filtered else 'delete+insert',
        'unique_key': unique_key,
        'on_schema_change': 'sync_all_columns',
        'meta': {'sotevault_touched_by': touched_by, 'sotevault_filtered': filtered},
        'pre_hook': ["{{ sotevault.current_state_pre_hook() }}"],
        'post_hook': ["{{ sotevault.record_current_state() }}"],
    }) }}
{%- endmacro -%}

{%- macro spark__current_state_config(unique_key, touched_by, filtered=false) -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro -%}

{#- A fingerprint of what the model's rows are computed from besides the raw vault: its own Jinja
    SQL, that of the business-vault models it reads (and theirs, recursively), and the rows of
    the seeds all of them read. -#}
{%- macro definition_fingerprint() -%}
    {%- set codes = [] -%}
    {%- set seed_ids = [] -%}
    {%- for node_id in model.depends_on.nodes -%}
        {%- do sotevault.collect_definitions(node_id, codes, seed_ids) -%}
    {%- endfor -%}
    {%- set seeds = [] -%}
    {%- for node_id in seed_ids | unique -%}
        {%- set node = graph.nodes[node_id] -%}
        {%- do seeds.append(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) -%}
    {%- endfor -%}
    {%- set content = [] -%}
    {%- if seeds -%}
        {%- set query -%}
            select string_agg(content, '#' order by seed) from (
            {%- for seed in seeds %}
                select {{ loop.index }} as seed,
                       coalesce(string_agg(cast(t as varchar), '|' order by cast(t as varchar)), '') as content
                from {{ seed }} as t
                {%- if not loop.last %} union all{% endif %}
            {%- endfor %}
            )
        {%- endset -%}
        {%- do content.append(run_query(query).columns[0].values()[0]) -%}
    {%- endif -%}
    {{ return(local_md5(model.raw_code ~ codes | unique | sort | join('') ~ '#' ~ content | join(''))) }}
{%- endmacro -%}

{#- Adds to `codes` ('#' + SQL) the business-vault models `node_id` is or reads, and to `seed_ids`
    the seeds read along the way (the raw vault is not followed: its rows are the batches). -#}
{%- macro collect_definitions(node_id, codes, seed_ids) -%}
    {%- set node = graph.nodes.get(node_id) -%}
    {%- if node_id.startswith('seed.') -%}
        {%- do seed_ids.append(node_id) -%}
    {%- elif node is not none and node.resource_type == 'model' and node.fqn[1] == 'business_vault' -%}
        {%- do codes.append('#' ~ node_id ~ '=' ~ node.raw_code) -%}
        {%- for parent in node.depends_on.nodes -%}
            {%- do sotevault.collect_definitions(parent, codes, seed_ids) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro -%}

{#-
  What this build of a current-state model recomputes: {'since': the batch after which keys are
  recomputed, or none for every key; 'through': the batch all its satellites have loaded
  through; 'fingerprint'}. `through` is the least of the satellites' watermarks (0 for one
  without any), so a batch one satellite has not loaded yet is recomputed again when it has
  (recomputing is idempotent).
-#}
{%- macro current_state_range(sats) -%}
    {%- if not execute or flags.WHICH not in ('build', 'run', 'retry') -%}
        {{ return({'since': none, 'through': 0, 'fingerprint': ''}) }}
    {%- endif -%}
    {%- set fingerprint = sotevault.definition_fingerprint() -%}
    {%- set through = run_query("select " ~ sotevault.least_watermark(sats)).rows[0][0] | int -%}
    {%- set last = sotevault.latest_build(this.identifier) if is_incremental() else none -%}
    {%- set since = last.through if last is not none and last.fingerprint == fingerprint else none -%}
    {{ return({'since': since, 'through': through, 'fingerprint': fingerprint}) }}
{%- endmacro -%}

{#- The last build of current-state model `alias`: {'through': its batch, 'fingerprint': the
    definition it was computed under}, or none. Read by the next build and by its data tests. -#}
{%- macro latest_build(alias) -%}
    {%- set rows = run_query(
        "select load_batch, fingerprint from " ~ sotevault.business_vault_builds()
        ~ " where model = '" ~ alias ~ "' order by recorded_at desc limit 1").rows -%}
    {{ return({'through': rows[0][0] | int, 'fingerprint': rows[0][1]} if rows | length > 0 else none) }}
{%- endmacro -%}

{#- The line a current-state model's compiled SQL carries, for its post-hook to read back. -#}
{%- macro current_state_marker(state) -%}
    -- sotevault current state: through batch {{ state.through }}, definition {{ state.fingerprint }}, keys {{ 'after batch ' ~ state.since if state.since is not none else 'all' }}
{%- endmacro -%}

{#- `expression` is a key whose current version may have changed since batch `since`: one of
    `key_column` of the satellites `sats` with rows after it (since none: every key). -#}
{%- macro touched_keys_filter(expression, key_column, sats, since) -%}
    {%- set relations = [] -%}
    {%- for sat in sats -%}{%- do relations.append(ref(sat)) -%}{%- endfor -%}
    {{ return(sotevault.touched_keys_predicate(expression, key_column, relations, since)) }}
{%- endmacro -%}

{#- The same on relations: for SQL whose node does not ref the satellites (data tests). -#}
{%- macro touched_keys_predicate(expression, key_column, relations, since) -%}
    {%- if since is none -%}true{%- else -%}
    {{ expression }} in (
        {%- for relation in relations %}
        select {{ key_column }} from {{ relation }} where load_batch > {{ since }}
        {%- if not loop.last %} union{% endif %}
        {%- endfor %}
    )
    {%- endif -%}
{%- endmacro -%}

{#- A row whose key a satellite row after batch `since` touched, for `touched_by` as in
    current_state_config (since none: every row); `alias`: the prefix of its columns. The
    satellites are found in the graph, not by ref: data tests use it too. -#}
{%- macro touched_rows_predicate(touched_by, since, alias='') -%}
    {%- if since is none -%}{{ return('true') }}{%- endif -%}
    (
    {%- for column, sats in touched_by %}
        {%- set relations = [] -%}
        {%- for sat in sats -%}
            {%- set node = graph.nodes['model.sotevault.' ~ sat] -%}
            {%- do relations.append(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)) -%}
        {%- endfor %}
        {{ sotevault.touched_keys_predicate(alias ~ column, column, relations, since) }}
        {%- if not loop.last %} or{% endif -%}
    {%- endfor %}
    )
{%- endmacro -%}

{#- Pre-hook: a build from scratch forgets what its data tests passed on (they read every row
    again); a filtered model deletes the rows of the keys this build recomputes, read back from
    its marker. -#}
{%- macro current_state_pre_hook() -%}
{%- if execute -%}
    {%- if not is_incremental() -%}
    delete from {{ sotevault.tested_batches() }} where model = '{{ this.identifier }}'
    {%- elif config.get('meta', {}).get('sotevault_filtered') -%}
        {%- set found = modules.re.findall('sotevault current state: through batch \\d+, definition \\w+, keys (after batch (\\d+)|all)', model.compiled_code or '') -%}
        {%- if found | length != 1 -%}
            {{ exceptions.raise_compiler_error(this.identifier ~ ": a current-state model must carry sotevault.current_state_marker(state) once") }}
        {%- endif -%}
        {%- set since = found[0][1] | int if found[0][1] else none -%}
    delete from {{ this }}
    where {{ sotevault.touched_rows_predicate(config.get('meta', {}).get('sotevault_touched_by'), since) }}
    {%- endif -%}
{%- endif -%}
{%- endmacro -%}

{#- Post-hook: record the build, in the transaction that wrote its rows. -#}
{%- macro record_current_state() -%}
{%- if execute -%}
    {%- set found = modules.re.findall('sotevault current state: through batch (\\d+), definition (\\w+)', model.compiled_code or '') -%}
    {%- if found | length != 1 -%}
        {{ exceptions.raise_compiler_error(this.identifier ~ ": a current-state model must carry sotevault.current_state_marker(state) once") }}
    {%- endif -%}
    insert into {{ sotevault.business_vault_builds() }}
    values ('{{ this.identifier }}', {{ found[0][0] }}, '{{ found[0][1] }}', '{{ invocation_id }}', current_timestamp::timestamp)
{%- endif -%}
{%- endmacro -%}
