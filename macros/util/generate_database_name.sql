{#-
  Where a model's database comes from. Staging sets `+database: stage` (dbt_project.yml), the
  in-memory database DuckDB attaches for one invocation (profiles.yml). Spark has no attached
  databases: there staging is an ordinary table in the target's schema, as every other model.
  (dbt dispatches this macro from the root project first; DuckDB keeps dbt's default.)
-#}
{%- macro spark__generate_database_name(custom_database_name=none, node=none) -%}
    {{ return(none) }}
{%- endmacro -%}
