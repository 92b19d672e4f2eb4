package lint_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/kube"
	"github.com/certgate/certgate/lint/load"
)

// partitionInputs are inputs of every kind: manifest fixtures (HA budgets,
// roles, mounts), chart renders with values that ask for what the render
// lacks, compose file sets beside manifests, and a stream of several releases
// whose budgets, autoscalers, Services and NetworkPolicies join across
// partitions.
func partitionInputs(t *testing.T) map[string]func() *lint.Input {
	t.Helper()
	var loadWith func(load.Options, ...string) func() *lint.Input
	loadPaths := func(paths ...string) func() *lint.Input {
		return loadWith(load.Options{Root: ".."}, paths...)
	}
	loadWith = func(opts load.Options, paths ...string) func() *lint.Input {
		return func() *lint.Input {
			in, err := load.Load(context.Background(), paths, opts)
			if err != nil {
				t.Fatalf("load %v: %v", paths, err)
			}
			in.Meta.CertctlVersion = "2.2.0"
			in.Meta.NowUnix = 1780272000
			return in
		}
	}
	return map[string]func() *lint.Input{
		"manifest fixtures": loadPaths("../testdata/manifest/ha-broken.yaml", "../testdata/manifest/ha-clean.yaml", "../testdata/roles/label-mismatch.yaml", "../testdata/roles/no-server.yaml", "../testdata/roles/api-server.yaml"),
		"mounts":            loadPaths("../testdata/mount"),
		"chart and compose": loadWith(load.Options{Root: "..", Chart: load.ChartSettings{Values: []string{"../charts/certctl/values-tls.yaml", "../charts/certctl/values-ha.yaml"}}}, "../charts/certctl", "../compose", "../testdata/manifest/ha-broken.yaml"),
		"intent chart":      loadPaths("../testdata/charts/intent"),
		"joins": func() *lint.Input {
			in, err := kube.Load([]byte(joinStream(12)), "joins.yaml", kube.Labels{"release": "joins.yaml"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			in.Meta.CertctlVersion = "2.2.0"
			return in
		},
	}
}

// joinStream is n certctl server Deployments, each with a budget (some
// requiring every replica, some selecting nothing), every third with an
// autoscaler, a Service without affinity and a NetworkPolicy, and a Secret
// its environment reads.
func joinStream(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: srv-%d}
spec:
  replicas: %d
  template:
    metadata:
      labels: {app.kubernetes.io/name: certctl, app.kubernetes.io/component: server, app.kubernetes.io/instance: i%d}
    spec:
      containers:
        - name: server
          image: ghcr.io/certctl-io/certctl:2.2.0
          env:
            - {name: CERTCTL_RATE_LIMIT_BACKEND, value: memory}
            - name: CERTCTL_AUTH_SECRET
              valueFrom: {secretKeyRef: {name: s%d, key: auth}}
---
apiVersion: v1
kind: Secret
metadata: {name: s%d}
stringData: {auth: change-me-%d}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb-%d}
spec:
  minAvailable: %d
  selector: {matchLabels: {app.kubernetes.io/instance: i%d, app.kubernetes.io/name: certctl}}
`, i, 1+i%3, i, i, i, i, i, 1+i%4, i+i%5)
		if i%3 == 0 {
			fmt.Fprintf(&b, `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: hpa-%d}
spec: {minReplicas: %d, scaleTargetRef: {kind: Deployment, name: srv-%d}}
---
apiVersion: v1
kind: Service
metadata: {name: svc-%d}
spec: {selector: {app.kubernetes.io/instance: i%d}}
---
apiVersion: v1
kind: Service
metadata:
  name: lb-%[3]d
  annotations: {certgate.io/session-affinity: upstream}
spec: {selector: {app.kubernetes.io/instance: i%[3]d}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np-%d}
spec: {podSelector: {matchExpressions: [{key: app.kubernetes.io/instance, operator: In, values: [i%d]}]}}
`, i, 2+i%2, i, i, i, i, i)
		}
	}
	// The bundled PostgreSQL, a CronJob and a Pod whose labels a budget
	// selects, and an agent labelled as a server.
	b.WriteString(`---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: pg}
spec:
  template:
    metadata: {labels: {app: pg}}
    spec:
      containers: [{name: postgresql, image: docker.io/library/postgres:16}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj}
spec: {jobTemplate: {spec: {template: {metadata: {labels: {app: cj}}, spec: {containers: [{name: c, image: busybox}]}}}}}
---
apiVersion: v1
kind: Pod
metadata: {name: pod, labels: {app: pod}}
spec: {containers: [{name: c, image: busybox}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb-cj}
spec: {minAvailable: 1, selector: {matchLabels: {app: cj}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb-pod}
spec: {minAvailable: 1, selector: {matchLabels: {app: pod}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: agent}
spec:
  template:
    metadata: {labels: {app.kubernetes.io/component: server}}
    spec:
      containers: [{name: agent, image: ghcr.io/certctl-io/certctl-agent:2.2.0}]
`)
	return b.String()
}

// TestPartitionedEvalMatchesWhole: an input evaluated in partitions, however
// fine, reports exactly what one evaluation of the whole input reports.
func TestPartitionedEvalMatchesWhole(t *testing.T) {
	ctx := context.Background()
	eng, err := lint.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func(n int) { kube.KeepTextFrom = n }(kube.KeepTextFrom)
	for name, input := range partitionInputs(t) {
		kube.KeepTextFrom = 1 << 30
		restore := lint.Partitioning(1<<30, 1)
		whole, err := eng.Eval(ctx, input())
		restore()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(whole.Findings) == 0 {
			t.Fatalf("%s: no findings: the comparison would prove nothing", name)
		}
		// Partitions of 1, 2 and 7 objects; streams that keep their decoded
		// objects or only their text; and the whole input of a stream that
		// keeps only its text.
		for _, c := range []struct{ size, keepText int }{{1, 1 << 30}, {2, 1 << 30}, {7, 1 << 30}, {1, 1}, {7, 1}, {1 << 30, 1}} {
			kube.KeepTextFrom = c.keepText
			min := 1
			if c.size == 1<<30 {
				min = 1 << 30
			}
			in := input()
			if name == "joins" && c.keepText == 1 && in.Manifests[0].Full == nil {
				t.Fatal("joins: the stream keeps its decoded objects with KeepTextFrom 1 byte")
			}
			restore := lint.Partitioning(min, c.size)
			got, err := eng.Eval(ctx, in)
			restore()
			if err != nil {
				t.Fatalf("%s, partitions of %d, text kept from %d bytes: %v", name, c.size, c.keepText, err)
			}
			if !reflect.DeepEqual(got, whole) {
				t.Errorf("%s, partitions of %d objects, text kept from %d bytes: %d findings, whole input %d", name, c.size, c.keepText, len(got.Findings), len(whole.Findings))
				for i := range max(len(got.Findings), len(whole.Findings)) {
					var g, w lint.Finding
					if i < len(got.Findings) {
						g = got.Findings[i]
					}
					if i < len(whole.Findings) {
						w = whole.Findings[i]
					}
					if g != w {
						t.Errorf("  first difference at %d:\n  got  %+v\n  want %+v", i, g, w)
						break
					}
				}
			}
		}
	}
}

// BenchmarkJoins lints n certctl server Deployments with their budgets,
// autoscalers, Services and NetworkPolicies in one release: the time per
// workload stays flat as n grows (the joins go through indexes).
func BenchmarkJoins(b *testing.B) {
	ctx := context.Background()
	eng, err := lint.New(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{100, 1000} {
		src := []byte(joinStream(n))
		b.Run(fmt.Sprintf("workloads=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				in, err := kube.Load(src, "joins.yaml", kube.Labels{"release": "joins.yaml"}, nil)
				if err != nil {
					b.Fatal(err)
				}
				in.Meta.CertctlVersion = "2.2.0"
				if _, err := eng.Eval(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/workload")
		})
	}
}
