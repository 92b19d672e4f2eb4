package main

// The repository's chart profiles and compose file sets boot certctl: each
// render's server environment, with Secrets resolved to realistic values, passes
// `certgate env` at 2.2.0 and 2.1.7, and the render mounts what that
// environment points at. values.schema.json refuses what certctl refuses.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/load"
)

// bootReleases are the certctl releases every shipped environment must boot:
// the unreleased line and the release the images are pinned to.
var bootReleases = []string{"2.2.0", "2.1.7"}

// schemaRefusals are values certctl refuses to start with, each with the
// message values.schema.json refuses it with, and a neighbour it accepts.
var schemaRefusals = []struct{ set, msg, accepted string }{
	{"server.auth.type=jwt", "at '/server/auth/type': value must be one of 'api-key', 'none', 'oidc'", "server.auth.type=oidc"},
	{"server.auth.type=API-KEY", "at '/server/auth/type': value must be one of 'api-key', 'none', 'oidc'", "server.auth.type=api-key"},
	{"server.log.level=INFO", "at '/server/log/level': value must be one of 'debug', 'info', 'warn', 'error'", "server.log.level=warn"},
	{"server.log.format=JSON", "at '/server/log/format': value must be one of 'json', 'text'", "server.log.format=text"},
	{"server.port=0", "at '/server/port': minimum: got 0, want 1", "server.port=1"},
	{"server.port=65536", "at '/server/port': maximum: got 65,536, want 65,535", "server.port=65535"},
	{"server.rateLimit.backend=Postgres", "at '/server/rateLimit/backend': value must be one of 'memory', 'postgres'", "server.rateLimit.backend=postgres"},
	{"server.keygenMode=Server", "at '/server/keygenMode': value must be one of 'agent', 'server'", "server.keygenMode=agent"},
}

func TestChartSchemaRefusesWhatCertctlRefuses(t *testing.T) {
	for _, c := range schemaRefusals {
		r, _ := lintChart(t, "", "charts/certctl", "-f", tlsValues, "--set", c.set)
		if r.code != 2 || !strings.Contains(r.err, "values.schema.json") || !strings.Contains(r.err, c.msg) {
			t.Errorf("certgate lint --set %s: code %d err %q, want 2 and %q", c.set, r.code, r.err, c.msg)
		}
		if r, _ := lintChart(t, "", "charts/certctl", "-f", tlsValues, "--set", c.accepted); r.code == 2 {
			t.Errorf("certgate lint --set %s: refused: %s", c.accepted, r.err)
		}
	}
}

// helmTemplate runs the real helm CLI at the repository root.
func helmTemplate(t *testing.T, helmBin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(helmBin, append([]string{"template", "certctl", "charts/certctl"}, args...)...)
	cmd.Dir = chartRepoRoot()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return stderr.String(), err
	}
	return string(out), nil
}

func TestHelmTemplateSchemaRefusesWhatCertctlRefuses(t *testing.T) {
	helmBin := helmBinary(t)
	for _, c := range schemaRefusals {
		out, err := helmTemplate(t, helmBin, "-f", tlsValues, "--set", c.set)
		if err == nil || !strings.Contains(out, c.msg) {
			t.Errorf("helm template --set %s: err %v, output %q, want %q", c.set, err, out, c.msg)
		}
		if out, err := helmTemplate(t, helmBin, "-f", tlsValues, "--set", c.accepted); err != nil {
			t.Errorf("helm template --set %s: %v: %s", c.accepted, err, out)
		}
	}
}

// tlsChoices: rendering with no TLS source, or with several, fails naming them.
var tlsChoices = []struct {
	args []string
	msgs []string
}{
	{[]string{"--set", "server.replicas=1"}, []string{"no self-signed fallback", "server.tls.existingSecret", "server.tls.certManager.issuerRef.name", "server.tls.selfSigned=true"}},
	{[]string{"-f", "charts/certctl/values-ha.yaml"}, []string{"server.tls.existingSecret", "server.tls.certManager.issuerRef.name", "server.tls.selfSigned=true"}},
	{[]string{"-f", tlsValues, "--set", "server.tls.selfSigned=true"}, []string{"set only one of", "(got existingSecret, selfSigned)"}},
}

func TestChartRequiresOneTLSSource(t *testing.T) {
	for _, c := range tlsChoices {
		r, _ := lintChart(t, "", append([]string{"charts/certctl"}, c.args...)...)
		if r.code != 2 {
			t.Errorf("%v: code %d, want 2", c.args, r.code)
		}
		for _, m := range c.msgs {
			if !strings.Contains(r.err, m) {
				t.Errorf("%v: err %q lacks %q", c.args, r.err, m)
			}
		}
	}
}

func TestHelmTemplateRequiresOneTLSSource(t *testing.T) {
	helmBin := helmBinary(t)
	for _, c := range tlsChoices {
		out, err := helmTemplate(t, helmBin, c.args...)
		if err == nil {
			t.Errorf("%v: helm template succeeded", c.args)
		}
		for _, m := range c.msgs {
			if !strings.Contains(out, m) {
				t.Errorf("%v: helm output %q lacks %q", c.args, out, m)
			}
		}
	}
}

// chartBoot is one chart render to boot: a certgate.yaml profile or a TLS variant.
type chartBoot struct {
	name   string
	values []string
	set    []string
}

// chartBoots lists every profile of certgate.yaml's charts/certctl and the TLS
// sources no profile uses.
func chartBoots(t *testing.T) []chartBoot {
	t.Helper()
	var out []chartBoot
	for _, p := range testutil.CertctlProfiles(t) {
		out = append(out, chartBoot{p.Name, p.Values, p.Set})
	}
	return append(out,
		chartBoot{name: "cert-manager", values: []string{"testdata/chart/cert-manager.yaml"}},
		chartBoot{name: "cert-manager ha", values: []string{"testdata/chart/cert-manager.yaml", "charts/certctl/values-ha.yaml"}},
		chartBoot{name: "self-signed demo", values: []string{"testdata/chart/self-signed.yaml"}},
		chartBoot{name: "agent trusts system roots", values: []string{"testdata/chart/cert-manager.yaml"}, set: []string{"agent.serverCA.systemRoots=true"}},
	)
}

// k8sObjects indexes a render's objects by kind and name.
type k8sObjects map[string]map[string]map[string]any

func indexObjects(in *lint.Input) k8sObjects {
	out := k8sObjects{}
	for _, o := range in.Manifests {
		kind, _ := o.Value["kind"].(string)
		name, _ := digValue(o.Value, "metadata", "name").(string)
		if out[kind] == nil {
			out[kind] = map[string]map[string]any{}
		}
		out[kind][name] = o.Value
	}
	return out
}

// digValue walks maps and lists (int keys) of a decoded document.
func digValue(v any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func asList(v any) []any { l, _ := v.([]any); return l }
func asString(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// secretValue is a key of a Secret: rendered by the chart, or one the operator
// creates (testdata/chart/external-secrets.yaml).
func secretValue(t *testing.T, objs k8sObjects, external map[string]map[string]string, name, key string) string {
	t.Helper()
	if s, ok := objs["Secret"][name]; ok {
		if v, ok := digValue(s, "stringData", key).(string); ok {
			return v
		}
		b64, ok := digValue(s, "data", key).(string)
		if !ok {
			t.Fatalf("Secret %s rendered without key %s", name, key)
		}
		b, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Fatalf("Secret %s key %s: %v", name, key, err)
		}
		return string(b)
	}
	if v, ok := external[name][key]; ok {
		return v
	}
	t.Fatalf("secretKeyRef %s/%s: neither rendered by the chart nor in testdata/chart/external-secrets.yaml", name, key)
	return ""
}

// envVar is one resolved container variable and how it was given.
type envVar struct {
	name, value string
	secret      string // "name/key" of a secretKeyRef
}

var k8sRef = regexp.MustCompile(`\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// containerEnv resolves a container's env as the kubelet does: secretKeyRef from
// the Secret, $(VAR) from variables defined earlier ($$ escapes), fieldRef from
// a node name.
func containerEnv(t *testing.T, objs k8sObjects, external map[string]map[string]string, c any) []envVar {
	t.Helper()
	if len(asList(digValue(c, "envFrom"))) > 0 {
		t.Fatalf("container %s imports envFrom: its environment is not all in the render", asString(digValue(c, "name")))
	}
	var out []envVar
	seen := map[string]string{}
	for _, e := range asList(digValue(c, "env")) {
		v := envVar{name: asString(digValue(e, "name"))}
		switch {
		case digValue(e, "valueFrom", "secretKeyRef") != nil:
			name, key := asString(digValue(e, "valueFrom", "secretKeyRef", "name")), asString(digValue(e, "valueFrom", "secretKeyRef", "key"))
			v.value, v.secret = secretValue(t, objs, external, name, key), name+"/"+key
		case digValue(e, "valueFrom", "fieldRef") != nil:
			v.value = "node-1"
		case digValue(e, "valueFrom") != nil:
			t.Fatalf("env %s: valueFrom %v not modelled", v.name, digValue(e, "valueFrom"))
		default:
			v.value = k8sRef.ReplaceAllStringFunc(asString(digValue(e, "value")), func(m string) string {
				if m == "$$" {
					return "$"
				}
				if val, ok := seen[m[2:len(m)-1]]; ok {
					return val
				}
				return m
			})
		}
		seen[v.name] = v.value
		out = append(out, v)
	}
	return out
}

func envMap(vars []envVar) map[string]envVar {
	m := map[string]envVar{}
	for _, v := range vars {
		m[v.name] = v
	}
	return m
}

// podContainer finds a workload's pod spec and its container by name.
func podContainer(t *testing.T, obj map[string]any, name string) (pod, container any) {
	t.Helper()
	pod = digValue(obj, "spec", "template", "spec")
	for _, c := range asList(digValue(pod, "containers")) {
		if asString(digValue(c, "name")) == name {
			return pod, c
		}
	}
	t.Fatalf("%s %s has no container %s", asString(obj["kind"]), asString(digValue(obj, "metadata", "name")), name)
	return nil, nil
}

// secretMount is the Secret volume mounted at dir in container c of pod, with
// its key-to-file items.
func secretMount(t *testing.T, pod, c any, dir string) (secret string, items map[string]string) {
	t.Helper()
	var volume string
	for _, m := range asList(digValue(c, "volumeMounts")) {
		if path.Clean(asString(digValue(m, "mountPath"))) == dir {
			volume = asString(digValue(m, "name"))
		}
	}
	if volume == "" {
		t.Fatalf("container %s mounts nothing at %s", asString(digValue(c, "name")), dir)
	}
	for _, v := range asList(digValue(pod, "volumes")) {
		if asString(digValue(v, "name")) != volume {
			continue
		}
		secret = asString(digValue(v, "secret", "secretName"))
		if secret == "" {
			t.Fatalf("volume %s is not a Secret volume", volume)
		}
		items = map[string]string{}
		for _, it := range asList(digValue(v, "secret", "items")) {
			items[asString(digValue(it, "key"))] = asString(digValue(it, "path"))
		}
		return secret, items
	}
	t.Fatalf("no volume %s", volume)
	return "", nil
}

// fileOfMount says which Secret key container c reads at file p.
func fileOfMount(t *testing.T, pod, c any, p string) (secret, key string) {
	t.Helper()
	secret, items := secretMount(t, pod, c, path.Dir(p))
	for k, f := range items {
		if f == path.Base(p) {
			return secret, k
		}
	}
	if len(items) == 0 {
		return secret, path.Base(p) // the whole Secret: one file per key
	}
	t.Fatalf("%s: the mounted Secret %s projects no item to %s (items %v)", p, secret, path.Base(p), items)
	return "", ""
}

// writeEnvFile writes vars as a .env file, single-quoted so nothing is
// interpolated, and returns its path.
func writeEnvFile(t *testing.T, name string, vars map[string]string) string {
	t.Helper()
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		v := vars[k]
		if strings.ContainsAny(v, "'\n") {
			t.Fatalf("%s: value not representable in a single-quoted .env line", k)
		}
		fmt.Fprintf(&b, "%s='%s'\n", k, v)
	}
	return writeFile(t, t.TempDir(), name, b.String())
}

// assertBoots runs certgate env on the environment at every boot release and
// fails on any error finding (warnings are logged).
func assertBoots(t *testing.T, what string, vars map[string]string, secrets []string) {
	t.Helper()
	file := writeEnvFile(t, "server.env", vars)
	for _, v := range bootReleases {
		// --no-host: the files these environments name belong to their container.
		r := runCLI(t, nil, "", "env", "--no-host", "--env-file", file, "--certctl-version", v, "--now", now, "--format", "json")
		if r.code == 2 {
			t.Fatalf("%s at %s: %s", what, v, r.err)
		}
		rep := decodeReport(t, r.out)
		for _, f := range rep.Findings {
			if f.Severity == "error" {
				t.Errorf("%s at %s: %s %s: %s", what, v, f.Rule, f.Severity, f.Message)
			} else {
				t.Logf("%s at %s: %s %s: %s", what, v, f.Rule, f.Severity, f.Message)
			}
		}
		if r.code != 0 {
			t.Errorf("%s at %s: certgate env exit %d", what, v, r.code)
		}
		for _, s := range secrets {
			if len(s) >= 8 && strings.Contains(r.out, s) {
				t.Errorf("%s at %s: a secret value is in the report", what, v)
			}
		}
	}
}

// namedKeys parses CERTCTL_API_KEYS_NAMED as certctl does: comma-separated
// name:key[:admin], spaces trimmed, empty items dropped.
func namedKeys(t *testing.T, v string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, item := range strings.Split(v, ",") {
		item = strings.Trim(item, " \t")
		if item == "" {
			continue
		}
		f := strings.Split(item, ":")
		if len(f) < 2 || len(f) > 3 || (len(f) == 3 && f[2] != "admin") || f[1] == "" {
			// Never print the entry: without a colon it is the key itself.
			t.Fatalf("CERTCTL_API_KEYS_NAMED entry %d (of %d fields) is not name:key[:admin]", len(out)+1, len(f))
		}
		out[f[0]] = f[1:]
	}
	return out
}

// assertAgentKey: the agent's CERTCTL_API_KEY is registered as a non-admin
// named key of the server and is not the admin CERTCTL_AUTH_SECRET.
func assertAgentKey(t *testing.T, what string, server, agent map[string]envVar) {
	t.Helper()
	key, ok := agent["CERTCTL_API_KEY"]
	if !ok || key.value == "" {
		t.Fatalf("%s: the agent has no CERTCTL_API_KEY", what)
	}
	if _, ok := agent["CERTCTL_AGENT_BOOTSTRAP_TOKEN"]; ok {
		t.Errorf("%s: the agent gets CERTCTL_AGENT_BOOTSTRAP_TOKEN, which it never reads", what)
	}
	if _, ok := agent["CERTCTL_AUTH_SECRET"]; ok {
		t.Errorf("%s: the agent gets the admin CERTCTL_AUTH_SECRET", what)
	}
	if admin := server["CERTCTL_AUTH_SECRET"]; key.value == admin.value || (key.secret != "" && key.secret == admin.secret) {
		t.Errorf("%s: the agent's key is the admin CERTCTL_AUTH_SECRET", what)
	}
	found := false
	for name, f := range namedKeys(t, server["CERTCTL_API_KEYS_NAMED"].value) {
		if f[0] == key.value {
			found = true
			if len(f) == 2 {
				t.Errorf("%s: the agent's key %s is registered as admin", what, name)
			}
		}
	}
	if !found {
		t.Errorf("%s: the agent's CERTCTL_API_KEY is not registered in the server's CERTCTL_API_KEYS_NAMED", what)
	}
}

// assertListener: host 0.0.0.0 and a port that is the one published.
func assertListener(t *testing.T, what string, server map[string]envVar, port string) {
	t.Helper()
	if h := server["CERTCTL_SERVER_HOST"].value; h != "0.0.0.0" {
		t.Errorf("%s: CERTCTL_SERVER_HOST = %q, want 0.0.0.0", what, h)
	}
	if p := server["CERTCTL_SERVER_PORT"].value; p != port {
		t.Errorf("%s: CERTCTL_SERVER_PORT = %q, want %s", what, p, port)
	}
	for _, k := range []string{"CERTCTL_SERVER_TLS_CERT_PATH", "CERTCTL_SERVER_TLS_KEY_PATH"} {
		if !path.IsAbs(server[k].value) {
			t.Errorf("%s: %s = %q", what, k, server[k].value)
		}
	}
}

func TestChartProfilesBoot(t *testing.T) {
	atRepoRoot(t)
	var external map[string]map[string]string
	b, err := os.ReadFile("testdata/chart/external-secrets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &external); err != nil {
		t.Fatal(err)
	}
	for _, boot := range chartBoots(t) {
		t.Run(boot.name, func(t *testing.T) {
			// The chart kind of the kinds table, as certgate lint renders it.
			in, err := load.Load(context.Background(), []string{"charts/certctl"}, load.Options{Chart: load.ChartSettings{Values: boot.values, Set: boot.set}})
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Releases) != 1 {
				t.Fatalf("%d releases rendered", len(in.Releases))
			}
			objs := indexObjects(in)
			values := in.Releases[0].Values
			dep := objs["Deployment"]["certctl-server"]
			if dep == nil {
				t.Fatalf("no server Deployment in %v", slices.Collect(maps.Keys(objs["Deployment"])))
			}
			pod, c := podContainer(t, dep, "server")
			vars := containerEnv(t, objs, external, c)
			server := envMap(vars)

			// Listener: 0.0.0.0 on the container port the Service targets.
			var port string
			for _, p := range asList(digValue(c, "ports")) {
				if asString(digValue(p, "name")) == "https" {
					port = asString(digValue(p, "containerPort"))
				}
			}
			assertListener(t, boot.name, server, port)
			// Probes: HTTPS /ready and /health on that port.
			for probe, want := range map[string]string{"readinessProbe": "/ready", "livenessProbe": "/health"} {
				g := digValue(c, probe, "httpGet")
				if asString(digValue(g, "path")) != want || asString(digValue(g, "scheme")) != "HTTPS" || asString(digValue(g, "port")) != "https" {
					t.Errorf("%s: %s %v, want HTTPS %s on port https", boot.name, probe, g, want)
				}
			}
			// TLS: both paths are keys of the one TLS Secret, mounted.
			certSecret, certKey := fileOfMount(t, pod, c, server["CERTCTL_SERVER_TLS_CERT_PATH"].value)
			keySecret, keyKey := fileOfMount(t, pod, c, server["CERTCTL_SERVER_TLS_KEY_PATH"].value)
			if certSecret != keySecret || certKey != "tls.crt" || keyKey != "tls.key" {
				t.Errorf("%s: cert from %s/%s, key from %s/%s", boot.name, certSecret, certKey, keySecret, keyKey)
			}
			tlsVals := digValue(values, "server", "tls")
			switch {
			case asString(digValue(tlsVals, "existingSecret")) != "":
				if certSecret != asString(digValue(tlsVals, "existingSecret")) {
					t.Errorf("%s: mounts %s, not server.tls.existingSecret", boot.name, certSecret)
				}
			case asString(digValue(tlsVals, "certManager", "issuerRef", "name")) != "":
				crt := objs["Certificate"]["certctl-server"]
				if asString(digValue(crt, "spec", "secretName")) != certSecret || asString(digValue(crt, "spec", "issuerRef", "name")) != asString(digValue(tlsVals, "certManager", "issuerRef", "name")) {
					t.Errorf("%s: Certificate %v does not issue the mounted Secret %s", boot.name, digValue(crt, "spec"), certSecret)
				}
				if !slices.Contains(asList(digValue(crt, "spec", "dnsNames")), any("certctl-server")) {
					t.Errorf("%s: the certificate does not name the Service agents dial: %v", boot.name, digValue(crt, "spec", "dnsNames"))
				}
			case digValue(tlsVals, "selfSigned") == true:
				if _, ok := objs["Secret"][certSecret]; !ok {
					t.Fatalf("%s: the self-signed Secret %s is not rendered", boot.name, certSecret)
				}
			default:
				t.Fatalf("%s: rendered without a TLS source", boot.name)
			}

			// The agent: its own key, the server's CA, no bootstrap token.
			ds := objs["DaemonSet"]["certctl-agent"]
			if ds == nil {
				t.Fatal("no agent DaemonSet")
			}
			apod, ac := podContainer(t, ds, "agent")
			agent := envMap(containerEnv(t, objs, external, ac))
			assertAgentKey(t, boot.name, server, agent)
			if u := agent["CERTCTL_SERVER_URL"].value; u != "https://certctl-server:"+asString(digValue(values, "server", "service", "port")) {
				t.Errorf("%s: CERTCTL_SERVER_URL = %q", boot.name, u)
			}
			if digValue(values, "agent", "serverCA", "systemRoots") == true {
				if _, ok := agent["CERTCTL_SERVER_CA_BUNDLE_PATH"]; ok {
					t.Errorf("%s: systemRoots, yet a CA bundle path is set", boot.name)
				}
			} else {
				caSecret, caKey := fileOfMount(t, apod, ac, agent["CERTCTL_SERVER_CA_BUNDLE_PATH"].value)
				if caSecret != certSecret || caKey != "ca.crt" {
					t.Errorf("%s: the agent trusts %s/%s, want %s/ca.crt", boot.name, caSecret, caKey, certSecret)
				}
				if _, items := secretMount(t, apod, ac, path.Dir(agent["CERTCTL_SERVER_CA_BUNDLE_PATH"].value)); len(items) != 1 {
					t.Errorf("%s: the agent mounts %v of the server's TLS Secret, want ca.crt alone", boot.name, items)
				}
				if s, ok := objs["Secret"][caSecret]; ok {
					assertPair(t, boot.name, objs, external, s, strings.TrimPrefix(agent["CERTCTL_SERVER_URL"].value, "https://"))
				}
			}

			env := map[string]string{}
			var secrets []string
			for _, v := range vars {
				env[v.name] = v.value
				if v.secret != "" {
					secrets = append(secrets, v.value)
				}
			}
			assertBoots(t, boot.name, env, secrets)
		})
	}
}

// assertPair checks a chart-generated TLS Secret: the pair loads as certctl
// loads it (tls.X509KeyPair) and the certificate verifies against ca.crt for
// the host agents dial.
func assertPair(t *testing.T, what string, objs k8sObjects, external map[string]map[string]string, s map[string]any, hostPort string) {
	t.Helper()
	name := asString(digValue(s, "metadata", "name"))
	crt := secretValue(t, objs, external, name, "tls.crt")
	key := secretValue(t, objs, external, name, "tls.key")
	ca := secretValue(t, objs, external, name, "ca.crt")
	pair, err := tls.X509KeyPair([]byte(crt), []byte(key))
	if err != nil {
		t.Fatalf("%s: the generated pair does not load: %v", what, err)
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM([]byte(ca)) {
		t.Fatalf("%s: ca.crt holds no certificate", what)
	}
	host, _, _ := strings.Cut(hostPort, ":")
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err != nil {
		t.Errorf("%s: the server certificate does not verify for %s against ca.crt: %v", what, host, err)
	}
}

// composeServices maps service name to its effective compose config in one
// file set of the input.
func composeServices(t *testing.T, in *lint.Input, set string) map[string]any {
	t.Helper()
	for _, o := range in.Compose {
		if o.Labels["set"] == set {
			out := map[string]any{}
			for name, svc := range o.Value["services"].(map[string]any) {
				out[name] = digValue(svc, "config")
			}
			return out
		}
	}
	t.Fatalf("no compose file set %s", set)
	return nil
}

// composeVars are a service environment's values, every one known.
func composeVars(t *testing.T, in *lint.Input, id string) map[string]envVar {
	t.Helper()
	for _, e := range in.Envs {
		if e.ID != id {
			continue
		}
		out := map[string]envVar{}
		for k, v := range e.Vars {
			if !v.Known {
				t.Fatalf("%s: %s is not known with the operator's .env", id, k)
			}
			out[k] = envVar{name: k, value: v.Value}
		}
		return out
	}
	t.Fatalf("no environment %s", id)
	return nil
}

// mountOf is the volume of a compose service mounted at dir: its type and source.
func mountOf(t *testing.T, svc any, dir string) (typ, source string) {
	t.Helper()
	for _, v := range asList(digValue(svc, "volumes")) {
		if path.Clean(asString(digValue(v, "target"))) == dir {
			return asString(digValue(v, "type")), asString(digValue(v, "source"))
		}
	}
	t.Fatalf("nothing is mounted at %s (volumes %v)", dir, digValue(svc, "volumes"))
	return "", ""
}

func TestComposeFileSetsBoot(t *testing.T) {
	root := chartRepoRoot()
	envFile := filepath.Join(root, "testdata", "compose-boot", "operator.env")
	in, err := load.Load(context.Background(), []string{filepath.Join(root, "compose")}, load.Options{Root: root, Compose: load.ComposeSettings{EnvFiles: []string{envFile}}})
	if err != nil {
		t.Fatal(err)
	}
	opEnv, err := os.ReadFile(envFile)
	if err != nil {
		t.Fatal(err)
	}
	var secrets []string
	for _, l := range strings.Split(string(opEnv), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok && !strings.HasPrefix(k, "#") && !strings.HasSuffix(k, "_TS") {
			secrets = append(secrets, v)
		}
	}
	sets := []struct {
		set  string
		demo bool
	}{
		{"compose/docker-compose.yml", false},
		{"compose/docker-compose.yml+docker-compose.demo.yml", true},
	}
	for _, s := range sets {
		t.Run(s.set, func(t *testing.T) {
			services := composeServices(t, in, s.set)
			server := composeVars(t, in, s.set+" service server")
			agent := composeVars(t, in, s.set+" service agent")

			// Listener: 0.0.0.0 on the port published and health-checked.
			assertListener(t, s.set, server, "8443")
			published := false
			for _, p := range asList(digValue(services["server"], "ports")) {
				if asString(digValue(p, "target")) == server["CERTCTL_SERVER_PORT"].value {
					published = true
				}
			}
			if !published {
				t.Errorf("%s: container port %s is not published: %v", s.set, server["CERTCTL_SERVER_PORT"].value, digValue(services["server"], "ports"))
			}
			if c := asString(digValue(services["agent"], "depends_on", "server", "condition")); c != "service_healthy" {
				t.Errorf("%s: the agent waits for the server with %q, want service_healthy", s.set, c)
			}

			// TLS: the certificate directory is mounted: the operator's ./tls in
			// the base, the generated pair in the demo.
			dir := path.Dir(server["CERTCTL_SERVER_TLS_CERT_PATH"].value)
			if path.Dir(server["CERTCTL_SERVER_TLS_KEY_PATH"].value) != dir {
				t.Errorf("%s: cert and key in different directories", s.set)
			}
			typ, src := mountOf(t, services["server"], dir)
			caTyp, caSrc := mountOf(t, services["agent"], path.Dir(agent["CERTCTL_SERVER_CA_BUNDLE_PATH"].value))
			if !s.demo {
				if typ != "bind" || src != filepath.Join(root, "compose", "tls") {
					t.Errorf("%s: %s mounts %s %s, want the operator's compose/tls", s.set, dir, typ, src)
				}
				if caTyp != "bind" || caSrc != filepath.Join(root, "compose", "ca") {
					t.Errorf("%s: the agent's CA comes from %s %s, want compose/ca", s.set, caTyp, caSrc)
				}
			} else {
				if typ != "volume" || !strings.HasSuffix(src, "demo-tls") {
					t.Errorf("%s: %s mounts %s %s, want the demo-tls volume", s.set, dir, typ, src)
				}
				if caTyp != "volume" || !strings.HasSuffix(caSrc, "demo-ca") {
					t.Errorf("%s: the agent's CA comes from %s %s, want the demo-ca volume", s.set, caTyp, caSrc)
				}
				for _, svc := range []string{"server", "agent"} {
					if c := asString(digValue(services[svc], "depends_on", "demo-tls", "condition")); c != "service_completed_successfully" {
						t.Errorf("%s: %s waits for demo-tls with %q", s.set, svc, c)
					}
				}
				if _, gen := mountOf(t, services["demo-tls"], "/tls"); gen != src {
					t.Errorf("%s: demo-tls writes %s, the server mounts %s", s.set, gen, src)
				}
			}
			if src == caSrc {
				t.Errorf("%s: the agent mounts the server's key directory", s.set)
			}

			assertAgentKey(t, s.set, server, agent)
			env := map[string]string{}
			for k, v := range server {
				env[k] = v.value
			}
			assertBoots(t, s.set, env, secrets)
		})
	}
}
