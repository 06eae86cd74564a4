#!/usr/bin/env python3
"""Generates test/cases/yq.cases (run: python3 test/gen_yq_cases.py test/cases/yq.cases).

Each case builds its YAML with printf and runs yq; the reference is mikefarah
yq v4.44.6 (test/ref/install-yq.sh)."""
import sys

cases = []
names = set()


def q(s):
    assert "'" not in s, s
    return "'" + s + "'"


def add(name, script, stderr='exact'):
    assert name not in names, name
    names.add(name)
    cases.append((name, script, stderr))


def Y(name, expr, yaml=None, opts='', stderr='exact'):
    """yq EXPR on a YAML text (printf format; None: -n)."""
    o = (' ' + opts) if opts else ''
    if yaml is None:
        add(name, f"yq{o} -n {q(expr)}", stderr)
    else:
        add(name, f"printf -- {q(yaml)} | yq{o} {q(expr)}", stderr)


DOC = 'name: app\\nversion: 1.2\\nreplicas: 3\\nenabled: true\\ntags: [web, api]\\nports:\\n  - 80\\n  - 443\\nenv:\\n  HOST: localhost\\n  PORT: "8080"\\n'
NESTED = 'a:\\n  b:\\n    c: 1\\n    d: [x, y]\\n  e: null\\nlist:\\n  - name: one\\n    n: 1\\n  - name: two\\n    n: 2\\n'
COMMENTED = '# top comment\\n\\n# second\\na: 1 # line a\\n# head of b\\nb:\\n  # head of c\\n  c: x   # line c\\n  d: [1, 2]\\nlist:\\n  - one # first\\n  # before two\\n  - two\\ne: {x: 1, y: "q"}\\n# foot\\n'

# ---------------------------------------------------------------- reading and paths
Y('identity_block', '.', DOC)
Y('identity_nested', '.', NESTED)
Y('field_scalar', '.name', DOC)
Y('field_nested', '.a.b.c', NESTED)
Y('field_missing_null', '.nope', DOC)
Y('field_number_float', '.version', DOC)
Y('array_index', '.ports[0], .ports[-1]', DOC)
Y('array_iterate', '.ports[]', DOC)
Y('flow_sequence_items', '.tags[]', DOC)
Y('quoted_string_value', '.env.PORT', DOC)
Y('bool_value', '.enabled', DOC)
Y('null_value', '.a.e', NESTED)
Y('sub_map_output', '.a', NESTED)
Y('list_of_maps_field', '.list[].name', NESTED)
Y('select_by_field', '.list[] | select(.n > 1) | .name', NESTED)
Y('length_of_map', '.a | length', NESTED)
Y('keys_of_map', '.a | keys', NESTED)
Y('comma_binds_looser_than_pipe', '.a | length, .list[0].name', NESTED)
Y('keys_document_order', 'keys', 'z: 1\\na: 2\\nm: 3\\n')
Y('has_key', 'has("name"), has("nope")', DOC)
Y('multiline_literal', '.s', 's: |\\n  line one\\n  line two\\nt: 1\\n')
Y('multiline_folded', '.s', 's: >\\n  folded\\n  text\\n\\n  para\\n')
Y('literal_strip_keep', '.a, .b', 'a: |-\\n  x\\n  y\\nb: |+\\n  z\\n\\nc: 1\\n')
Y('plain_multiline', '.s', 's: this is\\n  a long\\n  value\\n')
Y('double_quoted_escapes', '.s', 's: "tab\\\\there \\\\u00e9 \\\\"q\\\\""\\n')
Y('single_quoted', '.s', "s: 'it''s'\\n".replace("'", "\\047"))
Y('anchors_aliases', '.b.x, .c', 'a: &anc {x: 1}\\nb: *anc\\nc: &s hello\\nd: *s\\n')
Y('merge_key_lookup', '.d.x, .d.e', 'a: &anc {x: 1}\\nd:\\n  <<: *anc\\n  e: 2\\n')
Y('multi_document', '.x', 'x: 1\\n---\\nx: 2\\n---\\nx: 3\\n')
Y('multi_document_identity', '.', 'x: 1\\n---\\ny: 2\\n')
Y('document_start_marker', '.', '---\\na: 1\\n')
Y('json_input_as_yaml', '.a.b', '{"a": {"b": [1, 2]}}\\n')
Y('json_input_as_yaml_scalar', '.a.c', '{"a": {"c": "x"}}\\n')
Y('nested_sequences', '.', 'm:\\n- - 1\\n  - 2\\n- - 3\\n')
Y('sequence_same_indent', '.items', 'items:\\n- a\\n- b\\n')
Y('numbers_types', '.[] | type', '[1, 1.5, "s", true, null, {}, []]\\n')
Y('empty_document', '.', '')
Y('comment_only_values', '.a', 'a: 1 # one\\n')
Y('tagged_str', '.a | type', 'a: !!str 123\\n')

# ---------------------------------------------------------------- updates and output style
Y('assign_scalar', '.name = "new"', DOC)
Y('assign_nested_new', '.a.b.z = 5', NESTED)
Y('update_arith', '.replicas += 1 | .replicas', DOC)
Y('update_pipe', '.list[].n |= . * 10', NESTED)
Y('delete_key', 'del(.env)', DOC)
Y('delete_array_item', 'del(.ports[0])', DOC)
Y('add_array_item', '.ports += [8080]', DOC)
Y('merge_maps', '.a * {"b": {"x": 9}}', NESTED)
Y('quoting_rules', '.a = "true" | .b = "x: y" | .c = "" | .d = "line1\\nline2" | .e = "  lead" | .g = "#x" | .h = "123" | .i = "- x" | .k = "null" | .l = "é" | .m = [] | .n = {} | .s = "@x" | .t = "a #b" | .u = "ends\\n" | .v = "*x" | .x = "1e3" | .y = "a\\"b" | .z = "{x}"')
Y('nested_output_indent', '.o = [1, {"p": [2, 3]}, [4]]')
Y('comments_round_trip', '.', COMMENTED)
Y('comments_after_update', '.b.c = "z"', COMMENTED)
Y('comments_sub_node', '.b', COMMENTED)
Y('pretty_print', '.', COMMENTED, opts='-P')
Y('flow_style_kept', '.', 'a: [1, 2]\\nb: {x: 1, y: two}\\n')
Y('quote_style_kept', '.', 'a: "double"\\nb: \'single\'\\nc: plain\\n'.replace("'", "\\047"))
Y('sort_keys', 'sort_keys(.)', 'b: 1\\na: 2\\nc: {z: 1, y: 2}\\n')
Y('to_entries', 'to_entries', 'a: 1\\nb: 2\\n')
Y('with_entries_upcase', 'with_entries(.key |= upcase)', 'a: 1\\nb: 2\\n')
Y('map_values', 'map_values(. + 1)', 'a: 1\\nb: 2\\n')
Y('array_map_select', 'map(select(. > 1))', '- 1\\n- 2\\n- 3\\n')
Y('alternative_default', '.missing // "default"', DOC)
Y('string_upcase', '.name | upcase', DOC)
Y('string_length', '.name | length', DOC)
Y('string_test', '.name | test("ap")', DOC)
Y('split_join', '.s | split(",") | join("-")', 's: a,b,c\\n')
Y('sub_regex', '.s | sub("[0-9]+"; "N")', 's: v123\\n')
Y('unique_sort', '.a | sort | unique', 'a:\\n  - 3\\n  - 1\\n  - 2\\n  - 1\\n')
Y('env_operator', '.a = env(YQ_TEST_V)', 'a: 1\\n')
cases[-1] = (cases[-1][0], "printf 'a: 1\\n' | YQ_TEST_V=42 yq '.a = env(YQ_TEST_V)'", 'exact')
Y('strenv_operator', '.a = strenv(YQ_TEST_V)', 'a: 1\\n')
cases[-1] = (cases[-1][0], "printf 'a: 1\\n' | YQ_TEST_V=42 yq '.a = strenv(YQ_TEST_V)'", 'exact')
Y('null_input_build', '.a.b = [1, 2] | .c = "x"')

# ---------------------------------------------------------------- output formats
Y('json_output', '.', DOC, opts='-o json')
Y('json_output_compact', '.', NESTED, opts='-o json -I0')
Y('json_output_scalar', '.name', DOC, opts='-o json')
Y('json_short_flag', '.a', NESTED, opts='-oj')
Y('props_output', '.', NESTED, opts='-o props')
Y('csv_output_rows', '.', '- [a, b]\\n- [1, "x,y"]\\n', opts='-o csv')
Y('csv_output_objects', '.', '- {a: 1, b: x}\\n- {a: 2, b: y}\\n', opts='-o csv')
Y('tsv_output_objects', '.', '- {a: 1, b: x}\\n- {a: 2, b: y}\\n', opts='-o tsv')
Y('indent_4', '.', NESTED, opts='-I 4')
Y('unwrap_false', '.name', DOC, opts='-r=false')
Y('json_input_flag', '.a', '{"a": [1, {"b": 2}]}', opts='-p json')

# ---------------------------------------------------------------- commands and files
add('eval_all_merge', "printf 'a: 1\\nb:\\n  x: 1\\n' > f1.yaml; printf 'b:\\n  y: 2\\nc: 3\\n' > f2.yaml; yq ea '. as $item ireduce ({}; . * $item)' f1.yaml f2.yaml")
add('eval_files', "printf 'a: 1\\n' > f1.yaml; printf 'a: 2\\n' > f2.yaml; yq '.a' f1.yaml f2.yaml")
add('eval_explicit_command', "printf 'a: 1\\n' > f.yaml; yq eval '.a' f.yaml")
add('file_only_argument', "printf 'a: 1\\n' > f.yaml; yq f.yaml")
add('inplace_update', "printf 'a: 1 # keep\\nb: 2\\n' > f.yaml; yq -i '.a = 5' f.yaml; cat f.yaml")
add('inplace_multi_doc', "printf 'a: 1\\n---\\na: 2\\n' > f.yaml; yq -i '.a += 10' f.yaml; cat f.yaml")
add('exit_status_null', "printf 'a: 1\\n' | yq -e '.b'; echo \"rc=$?\"")
add('exit_status_true', "printf 'a: 1\\n' | yq -e '.a'; echo \"rc=$?\"")
add('bad_yaml_error', "printf 'a: {\\n' | yq '.'; echo \"rc=$?\"", 'shape')
add('bad_expression_error', "printf 'a: 1\\n' | yq '.a |' >/dev/null 2>&1; echo \"rc=$?\"")
add('missing_file_error', "yq '.' nope.yaml >/dev/null 2>&1; echo \"rc=$?\"")
add('no_doc_separators', "printf 'x: 1\\n---\\nx: 2\\n' | yq -N '.'")
add('stdin_dash', "printf 'a: 1\\n' | yq '.a' -")
add('null_input_flag', "yq -n '.x = 1'")

out = ["yq: mikefarah yq v4 style against yq v4.44.6 (test/ref/install-yq.sh; the case runner",
       "runs it as `yq` on the bash side, see REFERENCE_TOOLS in test/run_cases.py).",
       "Generated by test/gen_yq_cases.py.", ""]
for name, script, stderr in cases:
    out.append(f"#### {name}")
    if stderr != 'shape':
        out.append(f"#@ stderr: {stderr}")
    out.append(script)
    out.append("")
open(sys.argv[1], "w").write("\n".join(out))
print(len(cases), "cases")
