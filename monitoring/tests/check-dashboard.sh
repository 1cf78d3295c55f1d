#!/bin/bash
# The Grafana dashboard is importable and reads only what exists: valid JSON with a title, a uid
# and a Prometheus data-source variable; panels with unique ids, a place on the grid and at least
# one query, each through that variable; every metric a query names is one hwglue-export lists
# (--list-metrics) or a recording rule of hwglue.rules.yml.
set -u
HWGLUE_EXPORT=${HWGLUE_EXPORT:?}
SRC=${HWGLUE_SOURCE_DIR:?}
DASHBOARD=$SRC/monitoring/grafana/hwglue-dashboard.json
RULES=$SRC/monitoring/prometheus/hwglue.rules.yml
n=0 failures=0
check() {
        local name=$1
        shift
        n=$((n + 1))
        if "$@"; then echo "ok $n - $name"; else failures=$((failures + 1)); echo "not ok $n - $name"; fi
}
j() { jq -e "$1" "$DASHBOARD" >/dev/null; }

check "valid JSON" j '.'
check "a title and a uid" j '(.title | length > 0) and (.uid | test("^[a-zA-Z0-9_-]{1,40}$"))'
check "a Prometheus data-source variable" \
        j '[.templating.list[] | select(.type == "datasource" and .query == "prometheus" and .name == "datasource")] | length == 1'
check "an instance variable, all hosts by default" \
        j '[.templating.list[] | select(.name == "instance" and .includeAll and .allValue == ".*")] | length == 1'
check "panels with unique ids" j '[.panels[].id] | length == (unique | length) and length > 0'
check "every panel on the grid" j 'all(.panels[]; .gridPos.w > 0 and .gridPos.h > 0 and (.gridPos.x + .gridPos.w) <= 24)'
check "every panel has a query" j 'all(.panels[]; (.targets | length) > 0 and all(.targets[]; .expr | length > 0))'
check "every query through the data-source variable" \
        j 'all(.panels[]; .datasource.uid == "${datasource}" and all(.targets[]; .datasource.uid == "${datasource}"))'
check "every query filters on the chosen hosts" j 'all(.panels[].targets[]; .expr | contains("instance=~\"$instance\""))'

known=$({ "$HWGLUE_EXPORT" --list-metrics | cut -f1; sed -n 's/^ *- record: *//p' "$RULES"; })
for metric in $(jq -r '.panels[].targets[].expr' "$DASHBOARD" | grep -Eo 'hwglue_[a-z_]+|[a-z_]+:hwglue_[a-z_:0-9]+' | sort -u); do
        check "the dashboard reads $metric, which exists" grep -qx "$metric" <<<"$known"
done
echo "1..$n"
[ "$failures" = 0 ]
