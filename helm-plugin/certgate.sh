#!/bin/sh
# helm certgate: run certgate on a chart with helm's values flags.
#
#   helm certgate lint CHART [-f values.yaml]... [--set key=value]... [certgate flags]
#
# Every argument after "lint" reaches `certgate lint` unchanged. Helm keeps its
# own global flags (--debug, --kube-context, -n/--namespace); a namespace given to
# helm (HELM_NAMESPACE other than "default") becomes certgate's render namespace,
# as `helm template` would use it. Exit codes are certgate's.
set -u

usage() {
	cat <<'USAGE'
Lint a Helm chart with certgate's policies for certctl deployments.

Usage:
  helm certgate lint CHART [-f values.yaml]... [--set key=value]... [certgate flags]
  helm certgate version

Examples:
  helm certgate lint charts/certctl -f charts/certctl/values-tls.yaml
  helm certgate lint charts/certctl -f my-values.yaml --set server.replicas=3 --format json

-f/--values and --set are passed to certgate, which renders the chart in-process
and points findings at the values key that causes them. Other flags are
certgate's: --format, --fail-on, --certctl-version, --release-name, ... (see
`certgate lint --help`). certgate is $CERTGATE_BIN, else certgate on PATH.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 a chart that does not
render, bad input or usage.
USAGE
}

certgate_bin() {
	if [ -n "${CERTGATE_BIN:-}" ]; then
		if [ ! -x "$CERTGATE_BIN" ]; then
			echo "helm certgate: CERTGATE_BIN=$CERTGATE_BIN is not an executable file" >&2
			exit 2
		fi
		printf '%s\n' "$CERTGATE_BIN"
		return
	fi
	if ! command -v certgate 2>/dev/null; then
		echo "helm certgate: certgate is not on PATH: install it (go install github.com/certgate/certgate/cmd/certgate@latest) or set CERTGATE_BIN" >&2
		exit 2
	fi
}

if [ $# -eq 0 ]; then
	usage >&2
	exit 2
fi

cmd=$1
shift
case $cmd in
lint)
	bin=$(certgate_bin) || exit 2
	if [ -n "${HELM_NAMESPACE:-}" ] && [ "$HELM_NAMESPACE" != default ]; then
		exec "$bin" lint --namespace "$HELM_NAMESPACE" "$@"
	fi
	exec "$bin" lint "$@"
	;;
version)
	bin=$(certgate_bin) || exit 2
	exec "$bin" version
	;;
help | -h | --help)
	usage
	;;
*)
	echo "helm certgate: unknown command \"$cmd\"" >&2
	usage >&2
	exit 2
	;;
esac
