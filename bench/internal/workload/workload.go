// Package workload generates the benchmark inputs: Kubernetes manifest streams
// shaped like real renders, seeded and deterministic (the same kind, size and
// seed always give the same bytes), and clean under the full catalog apart
// from what a real render has, so a benchmark measures judging, not printing.
package workload

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
)

// Seed is the default seed of every generator.
const Seed = 12

// Kind is one generator.
type Kind struct {
	Name string
	// Doc is one line for help text.
	Doc string
	// DefaultN is the size of the benchmark input (see Generate).
	DefaultN int
}

// Kinds lists the generators.
var Kinds = []Kind{
	{Name: "mixed", Doc: "N documents: releases of Deployments, Services, ConfigMaps, Secrets, PDBs, HPAs and NetworkPolicies, every eighth one a certctl server release", DefaultN: 5000},
	{Name: "big", Doc: "N small Deployments and N/12 ConfigMaps of 11 KiB data (N=35112 is about 50 MiB)", DefaultN: 35112},
	{Name: "join", Doc: "N certctl server Deployments and N PodDisruptionBudgets in one release, each budget selecting one Deployment", DefaultN: 1000},
}

// Generate writes the stream of kind at size n with seed to w.
func Generate(w io.Writer, kind string, n int, seed uint64) error {
	return generate(w, kind, n, seed, false)
}

// GenerateWithFaults is Generate with deterministic defects in some releases
// (the mixed and join kinds): budgets that block drains or select nothing,
// Services without session affinity, per-replica rate limits, unspread
// replicas, a plaintext database URL, a placeholder secret, a NetworkPolicy
// that misses the server pods, a single-replica floor. Every other byte is the
// one Generate writes, so the findings of both together show that the engine
// judges the same streams alike with and without findings to report.
func GenerateWithFaults(w io.Writer, kind string, n int, seed uint64) error {
	return generate(w, kind, n, seed, true)
}

func generate(w io.Writer, kind string, n int, seed uint64, faults bool) error {
	if n < 1 {
		return fmt.Errorf("size %d: want at least 1", n)
	}
	g := &gen{w: bufio.NewWriterSize(w, 1<<16), rnd: rand.New(rand.NewPCG(seed, 0x6365727467617465)), faults: faults}
	switch kind {
	case "mixed":
		g.mixed(n)
	case "big":
		g.big(n)
	case "join":
		g.join(n)
	default:
		return fmt.Errorf("unknown kind %q (want mixed, big or join)", kind)
	}
	if g.err != nil {
		return g.err
	}
	return g.w.Flush()
}

type gen struct {
	w   *bufio.Writer
	rnd *rand.Rand
	err error
	// labels replaces the line "{{labels}}" of a format: the metadata labels
	// of the release being written, as a chart stamps them on every object.
	labels string
	// faults turns on the defects of GenerateWithFaults; swap is the one being
	// written and applied says it was.
	faults  bool
	swap    *fault
	applied bool
}

// fault is a defect: the object it applies to and the text it replaces.
type fault struct {
	obj, old, new string
}

// with writes one object (obj names it: deployment, service, pdb, hpa, netpol)
// with fault f applied when f is for that object.
func (g *gen) with(f fault, obj string, write func()) {
	if !g.faults || f.obj != obj {
		write()
		return
	}
	g.swap, g.applied = &f, false
	write()
	if !g.applied && g.err == nil {
		g.err = fmt.Errorf("fault %q of %s: the object has no such text", f.old, obj)
	}
	g.swap = nil
}

func (g *gen) printf(format string, args ...any) {
	if g.err != nil {
		return
	}
	format = strings.Replace(format, "{{labels}}\n", g.labels, 1)
	if g.swap != nil {
		s := fmt.Sprintf(format, args...)
		if strings.Contains(s, g.swap.old) {
			s, g.applied = strings.Replace(s, g.swap.old, g.swap.new, 1), true
		}
		_, g.err = io.WriteString(g.w, s)
		return
	}
	_, g.err = fmt.Fprintf(g.w, format, args...)
}

// word is a lower-case word of n letters.
func (g *gen) word(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + g.rnd.IntN(26))
	}
	return string(b)
}

// hex is n random hexadecimal digits.
func (g *gen) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.rnd.IntN(16)]
	}
	return string(b)
}

var teams = []string{"billing", "catalog", "checkout", "inventory", "ledger", "search", "shipping", "identity", "reports", "pricing"}

// certctlFaults are the defects of the certctl releases of a mixed stream
// with faults, one per release in turn.
var certctlFaults = []fault{
	{}, // none
	{obj: "pdb", old: "  minAvailable: 2\n", new: "  minAvailable: 3\n"},
	{obj: "service", old: "  sessionAffinity: ClientIP\n", new: ""},
	{obj: "deployment", old: "              value: postgres\n", new: "              value: memory\n"},
	{obj: "deployment", old: "      topologySpreadConstraints:\n", new: "      unusedSpread:\n"},
	{obj: "deployment", old: "              valueFrom:\n                secretKeyRef: {name: certctl-credentials, key: database-url}\n", new: "              value: postgres://certctl@db.internal:5432/certctl?sslmode=disable\n"},
	{obj: "deployment", old: "              valueFrom:\n                secretKeyRef: {name: certctl-credentials, key: auth-secret}\n", new: "              value: change-me-auth-secret\n"},
	{obj: "netpol", old: "      app.kubernetes.io/component: server\n", new: "      app.kubernetes.io/component: web\n"},
	{obj: "pdb", old: "      app.kubernetes.io/component: server\n", new: "      app.kubernetes.io/component: worker\n"},
	{obj: "hpa", old: "  minReplicas: 3\n", new: "  minReplicas: 1\n"},
}

// mixed writes n documents: releases of seven objects, every eighth a certctl
// server release, padded with ConfigMaps to exactly n.
func (g *gen) mixed(n int) {
	docs := 0
	for unit := 0; docs+7 <= n; unit++ {
		ns := fmt.Sprintf("%s-%03d", teams[unit%len(teams)], unit)
		chart := ns + "-api"
		if unit%8 == 3 {
			chart = "certctl"
		}
		g.labels = g.chartLabels(ns, chart)
		if unit%8 == 3 {
			g.certctlRelease(ns, unit)
		} else {
			g.appRelease(ns, unit)
		}
		docs += 7
	}
	g.labels = ""
	for ; docs < n; docs++ {
		g.configMap("padding", fmt.Sprintf("settings-%04d", docs), 4, 24)
	}
}

// chartLabels are the metadata labels a Helm chart stamps on its objects.
func (g *gen) chartLabels(release, chart string) string {
	v := fmt.Sprintf("%d.%d.%d", 1+g.rnd.IntN(3), g.rnd.IntN(12), g.rnd.IntN(9))
	return fmt.Sprintf(`  labels:
    app.kubernetes.io/instance: %s
    app.kubernetes.io/managed-by: Helm
    app.kubernetes.io/part-of: %s
    app.kubernetes.io/version: "%s"
    helm.sh/chart: %s-%s
`, release, release, v, chart, v)
}

// appRelease is an ordinary application: Deployment, Service, ConfigMap,
// Secret, HorizontalPodAutoscaler, PodDisruptionBudget and NetworkPolicy.
func (g *gen) appRelease(ns string, unit int) {
	app := ns + "-api"
	g.printf(`---
# Source: %[2]s/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[2]s
  namespace: %[1]s
  labels:
    app.kubernetes.io/name: %[2]s
    app.kubernetes.io/instance: %[1]s
    app.kubernetes.io/component: api
  annotations:
    checksum/config: %[7]s
spec:
  replicas: %[3]d
  selector:
    matchLabels:
      app.kubernetes.io/name: %[2]s
      app.kubernetes.io/instance: %[1]s
  template:
    metadata:
      labels:
        app.kubernetes.io/name: %[2]s
        app.kubernetes.io/instance: %[1]s
        app.kubernetes.io/component: api
    spec:
      containers:
        - name: api
          image: registry.example.com/%[2]s:1.%[4]d.%[5]d
          ports:
            - containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
            - name: LISTEN_ADDR
              value: ":8080"
            - name: FEATURE_%[6]s
              value: "true"
            - name: API_TOKEN
              valueFrom:
                secretKeyRef:
                  name: %[2]s
                  key: token
          envFrom:
            - configMapRef:
                name: %[2]s
          readinessProbe:
            httpGet: {path: /healthz, port: 8080}
            periodSeconds: 10
          livenessProbe:
            httpGet: {path: /livez, port: 8080}
            initialDelaySeconds: 15
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
`, ns, app, 2+g.rnd.IntN(3), g.rnd.IntN(20), g.rnd.IntN(10), strings.ToUpper(g.word(6)), g.hex(64))
	g.printf(`---
# Source: %[2]s/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: %[2]s
  namespace: %[1]s
{{labels}}
spec:
  selector:
    app.kubernetes.io/name: %[2]s
    app.kubernetes.io/instance: %[1]s
  ports:
    - port: 80
      targetPort: 8080
`, ns, app)
	g.configMap(ns, app, 6+g.rnd.IntN(6), 48)
	g.printf(`---
# Source: %[2]s/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: %[2]s
  namespace: %[1]s
{{labels}}
type: Opaque
data:
  token: %[3]s
`, ns, app, base64.StdEncoding.EncodeToString([]byte(g.hex(32))))
	g.printf(`---
# Source: %[2]s/templates/hpa.yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: %[2]s
  namespace: %[1]s
{{labels}}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: %[2]s
  minReplicas: 2
  maxReplicas: %[3]d
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 70}
`, ns, app, 4+g.rnd.IntN(6))
	// Every 40th application's budget selects the pods of a previous release.
	var f fault
	if unit%40 == 17 {
		f = fault{obj: "pdb", old: "app.kubernetes.io/instance: " + ns + "\n", new: "app.kubernetes.io/instance: " + ns + "-previous\n"}
	}
	g.with(f, "pdb", func() {
		g.printf(`---
# Source: %[2]s/templates/pdb.yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: %[2]s
  namespace: %[1]s
{{labels}}
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: %[2]s
      app.kubernetes.io/instance: %[1]s
`, ns, app)
	})
	g.printf(`---
# Source: %[2]s/templates/networkpolicy.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: %[2]s
  namespace: %[1]s
{{labels}}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: %[2]s
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress
      ports:
        - port: 8080
`, ns, app)
}

// configMap writes a ConfigMap of keys entries of about size bytes each.
func (g *gen) configMap(ns, name string, keys, size int) {
	g.printf("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: %s\n{{labels}}\ndata:\n", name, ns)
	for k := 0; k < keys; k++ {
		g.printf("  %s_%d: %q\n", strings.ToUpper(g.word(8)), k, g.word(size))
	}
}

// certctlRelease is a production-shaped certctl server release (the shape of
// the chart's HA profile): a Deployment of 3 replicas spread across nodes with
// its TLS Secret mounted, a ClientIP Service, a PDB of minAvailable 2, a
// NetworkPolicy, the Secrets its environment reads and a ConfigMap.
func (g *gen) certctlRelease(ns string, unit int) {
	name := ns + "-certctl"
	f := certctlFaults[(unit/8)%len(certctlFaults)]
	g.with(f, "deployment", func() { g.certctlServer(ns, name, ns, 3, unit) })
	g.with(f, "service", func() {
		g.printf(`---
# Source: certctl/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: %[2]s
  namespace: %[1]s
{{labels}}
spec:
  selector:
    app.kubernetes.io/name: certctl
    app.kubernetes.io/instance: %[1]s
    app.kubernetes.io/component: server
  sessionAffinity: ClientIP
  ports:
    - port: 8443
      targetPort: 8443
`, ns, name)
	})
	g.configMap(ns, name+"-settings", 6+g.rnd.IntN(6), 48)
	g.printf(`---
# Source: certctl/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: certctl-credentials
  namespace: %[1]s
{{labels}}
type: Opaque
data:
  auth-secret: %[2]s
  database-url: %[3]s
  bootstrap-token: %[4]s
`, ns,
		base64.StdEncoding.EncodeToString([]byte(g.hex(48))),
		base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("postgres://certctl:%s@db-%d.internal:5432/certctl?sslmode=verify-full", g.hex(24), unit))),
		base64.StdEncoding.EncodeToString([]byte(g.hex(40))))
	g.with(f, "hpa", func() {
		g.printf(`---
# Source: certctl/templates/hpa.yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: %[2]s
  namespace: %[1]s
{{labels}}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: %[2]s
  minReplicas: 3
  maxReplicas: 6
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 75}
`, ns, name)
	})
	g.with(f, "pdb", func() { g.pdb(ns, name, ns) })
	g.with(f, "netpol", func() {
		g.printf(`---
# Source: certctl/templates/networkpolicy.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: %[2]s
  namespace: %[1]s
{{labels}}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/component: server
      app.kubernetes.io/instance: %[1]s
  policyTypes: [Ingress]
  ingress:
    - ports:
        - port: 8443
`, ns, name)
	})
}

// certctlServer writes a clean certctl server Deployment whose pods carry
// instance as app.kubernetes.io/instance.
func (g *gen) certctlServer(ns, name, instance string, replicas, unit int) {
	g.printf(`---
# Source: certctl/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[2]s
  namespace: %[1]s
  labels:
    app.kubernetes.io/name: certctl
    app.kubernetes.io/instance: %[3]s
    app.kubernetes.io/component: server
spec:
  replicas: %[4]d
  selector:
    matchLabels:
      app.kubernetes.io/name: certctl
      app.kubernetes.io/instance: %[3]s
      app.kubernetes.io/component: server
  template:
    metadata:
      labels:
        app.kubernetes.io/name: certctl
        app.kubernetes.io/instance: %[3]s
        app.kubernetes.io/component: server
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app.kubernetes.io/instance: %[3]s
              app.kubernetes.io/component: server
      containers:
        - name: server
          image: ghcr.io/certctl-io/certctl:2.2.0
          ports:
            - containerPort: 8443
          env:
            - name: CERTCTL_SERVER_HOST
              value: "0.0.0.0"
            - name: CERTCTL_SERVER_PORT
              value: "8443"
            - name: CERTCTL_SERVER_TLS_CERT_PATH
              value: /etc/certctl/tls/tls.crt
            - name: CERTCTL_SERVER_TLS_KEY_PATH
              value: /etc/certctl/tls/tls.key
            - name: CERTCTL_AUTH_TYPE
              value: api-key
            - name: CERTCTL_AUTH_SECRET
              valueFrom:
                secretKeyRef: {name: certctl-credentials, key: auth-secret}
            - name: CERTCTL_DATABASE_URL
              valueFrom:
                secretKeyRef: {name: certctl-credentials, key: database-url}
            - name: CERTCTL_AGENT_BOOTSTRAP_TOKEN
              valueFrom:
                secretKeyRef: {name: certctl-credentials, key: bootstrap-token}
            - name: CERTCTL_RATE_LIMIT_BACKEND
              value: postgres
            - name: CERTCTL_LOG_LEVEL
              value: info
          volumeMounts:
            - name: tls
              mountPath: /etc/certctl/tls
              readOnly: true
          resources:
            requests: {cpu: 250m, memory: 256Mi}
            limits: {memory: 512Mi}
      volumes:
        - name: tls
          secret:
            secretName: %[5]s
`, ns, name, instance, replicas, fmt.Sprintf("certctl-tls-%d", unit))
}

// pdb writes a PodDisruptionBudget of minAvailable 2 selecting the certctl
// server pods of instance.
func (g *gen) pdb(ns, name, instance string) {
	g.printf(`---
# Source: certctl/templates/pdb.yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: %[2]s
  namespace: %[1]s
{{labels}}
spec:
  minAvailable: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: certctl
      app.kubernetes.io/instance: %[3]s
      app.kubernetes.io/component: server
`, ns, name, instance)
}

// big writes n small Deployments and n/12 ConfigMaps of 11 KiB data each, one
// ConfigMap after every twelfth Deployment.
func (g *gen) big(n int) {
	for i := 0; i < n; i++ {
		ns := teams[i%len(teams)]
		g.printf(`---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker-%05[2]d
  namespace: %[1]s
  labels: {app: worker-%05[2]d}
spec:
  replicas: 1
  selector:
    matchLabels: {app: worker-%05[2]d}
  template:
    metadata:
      labels: {app: worker-%05[2]d}
    spec:
      containers:
        - name: worker
          image: %[1]s/worker:1.%[3]d.%[4]d
          args: [--queue, %[5]s, --concurrency, "%[6]d"]
          env:
            - {name: QUEUE, value: %[5]s}
            - {name: BATCH, value: "%[7]s"}
`, ns, i, g.rnd.IntN(20), g.rnd.IntN(10), g.word(10), 1+g.rnd.IntN(16), g.hex(2))
		if i%12 == 11 {
			g.printf("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bulk-%05d\n  namespace: %s\ndata:\n", i/12, ns)
			// 11 KiB of data: 11 entries of 1 KiB values.
			for k := 0; k < 11; k++ {
				g.printf("  entry-%02d: %s\n", k, g.word(1024))
			}
		}
	}
}

// join writes n certctl server Deployments and n PodDisruptionBudgets in one
// release, each budget selecting exactly one Deployment's pods, plus one
// ClientIP Service and one NetworkPolicy for all of them.
func (g *gen) join(n int) {
	const ns = "certctl"
	for i := 0; i < n; i++ {
		inst := fmt.Sprintf("certctl-%05d", i)
		var f fault
		if i%30 == 7 { // per-replica rate limits
			f = certctlFaults[3]
		}
		g.with(f, "deployment", func() { g.certctlServer(ns, fmt.Sprintf("certctl-server-%05d", i), inst, 3, i) })
	}
	for i := 0; i < n; i++ {
		inst := fmt.Sprintf("certctl-%05d", i)
		var f fault
		switch {
		case i%10 == 4: // blocks every drain
			f = certctlFaults[1]
		case i%25 == 13: // selects nothing
			f = certctlFaults[8]
		}
		g.with(f, "pdb", func() { g.pdb(ns, fmt.Sprintf("certctl-server-%05d", i), inst) })
	}
	g.printf(`---
apiVersion: v1
kind: Secret
metadata:
  name: certctl-credentials
  namespace: %[1]s
type: Opaque
data:
  auth-secret: %[2]s
  database-url: %[3]s
  bootstrap-token: %[4]s
---
apiVersion: v1
kind: Service
metadata:
  name: certctl-server
  namespace: %[1]s
spec:
  selector:
    app.kubernetes.io/name: certctl
    app.kubernetes.io/component: server
  sessionAffinity: ClientIP
  ports:
    - port: 8443
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: certctl-server
  namespace: %[1]s
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/component: server
  policyTypes: [Ingress]
`, ns,
		base64.StdEncoding.EncodeToString([]byte(g.hex(48))),
		base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("postgres://certctl:%s@db.internal:5432/certctl?sslmode=verify-full", g.hex(24)))),
		base64.StdEncoding.EncodeToString([]byte(g.hex(40))))
}
