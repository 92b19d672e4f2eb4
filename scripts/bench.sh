#!/usr/bin/env bash
# certgate against its closest peer, conftest, on the same inputs in the same run.
# Both are whole CLI invocations (process start, policy compile, load, evaluate),
# timed over RUNS runs each, interleaved so machine noise hits both alike. Figures
# are reported as ratios, since absolute times on shared machines are noisy.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-20}
export PATH="$(go env GOPATH)/bin:$PATH"
command -v conftest >/dev/null || { echo "conftest not found: go install github.com/open-policy-agent/conftest@v0.71.1" >&2; exit 2; }
command -v helm >/dev/null || { echo "helm not found: go install helm.sh/helm/v3/cmd/helm@v3.22.0" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/certgate" ./cmd/certgate
peer=testdata/bench/conftest

# A large manifest stream: the chart rendered with the HA overlay, repeated.
helm template certctl charts/certctl -f charts/certctl/values-tls.yaml -f charts/certctl/values-ha.yaml > "$work/one.yaml"
for i in $(seq 1 200); do cat "$work/one.yaml"; done > "$work/stream.yaml"
docs=$(grep -c '^kind:' "$work/stream.yaml" || true)

# time_ms CMD...: wall time of one run in milliseconds (exit codes 0 and 1 are results).
time_ms() {
  local s e
  s=$(date +%s%N)
  "$@" >/dev/null 2>&1 || [ $? -eq 1 ]
  e=$(date +%s%N)
  echo $(((e - s) / 1000000))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

compare() {
  local name=$1; shift
  local -a ours peer_cmd
  IFS=$'\x1f' read -r -a ours <<<"$1"; IFS=$'\x1f' read -r -a peer_cmd <<<"$2"
  : >"$work/a"; : >"$work/b"
  for _ in $(seq 1 "$RUNS"); do
    time_ms "${ours[@]}" >>"$work/a"
    time_ms "${peer_cmd[@]}" >>"$work/b"
  done
  local a b
  a=$(median <"$work/a"); b=$(median <"$work/b")
  awk -v n="$name" -v a="$a" -v b="$b" 'BEGIN {printf "%-34s certgate %7.1f ms  conftest %7.1f ms  ratio %.2fx\n", n, a, b, (b > 0 ? a / b : 0)}'
}

j() { local IFS=$'\x1f'; echo "$*"; }

echo "median of $RUNS runs each; ratio = certgate / conftest (lower is faster)"
compare ".env file (env rules)" \
  "$(j "$work/certgate" env --env-file testdata/bench/server.env)" \
  "$(j conftest test --parser dotenv -p "$peer" testdata/bench/server.env)"
compare "compose/ (base + demo overlay)" \
  "$(j "$work/certgate" lint compose/)" \
  "$(j conftest test -p "$peer" compose/docker-compose.yml compose/docker-compose.demo.yml)"
compare "manifest stream ($docs documents)" \
  "$(j "$work/certgate" lint "$work/stream.yaml")" \
  "$(j conftest test -p "$peer" "$work/stream.yaml")"
