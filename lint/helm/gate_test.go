package helm_test

// The chart's startup gate: the init container "certgate" runs `certgate env`
// with exactly the server container's environment in every value profile, and
// the rules see it as part of the server's pod, never as a workload or a
// certctl container of its own.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/helm"
)

func TestMain(m *testing.M) { testutil.Main(m) }

const repoRoot = "../.."

// gateCase is one set of chart values (files relative to the repository root).
type gateCase struct {
	name   string
	values []string
	set    []string
}

// gateCases are every value profile certgate.yaml declares for charts/certctl,
// every values-*.yaml of the chart and the TLS sources of testdata/chart, each
// alone on a TLS source, plus values that change what the server gets.
func gateCases(t *testing.T) []gateCase {
	t.Helper()
	var out []gateCase
	for _, p := range testutil.CertctlProfiles(t) {
		out = append(out, gateCase{p.Name, p.Values, p.Set})
	}
	files, err := filepath.Glob(filepath.Join(chartDir, "values-*.yaml"))
	if err != nil || len(files) < 2 {
		t.Fatalf("values-*.yaml of the chart: %v %v", files, err)
	}
	for _, f := range files {
		name := "charts/certctl/" + filepath.Base(f)
		out = append(out, gateCase{name: name, values: []string{"charts/certctl/values-tls.yaml", name}})
	}
	for _, f := range []string{"testdata/chart/cert-manager.yaml", "testdata/chart/self-signed.yaml"} {
		out = append(out, gateCase{name: f, values: []string{f}})
	}
	return append(out,
		gateCase{name: "extra env and envFrom", values: []string{"charts/certctl/values-tls.yaml"}, set: []string{
			"server.env[0].name=CERTCTL_MAX_BODY_SIZE", "server.env[0].value=2048",
			"server.envFrom[0].secretRef.name=certctl-extra", "server.envFrom[1].configMapRef.name=certctl-settings", "server.envFrom[1].prefix=CERTCTL_",
		}},
		gateCase{name: "external database URL, no agents, auth none", values: []string{"charts/certctl/values-tls.yaml"}, set: []string{
			"postgresql.enabled=false", "externalDatabase.url=postgres://certctl@db.example:5432/certctl?sslmode=verify-full",
			"agent.enabled=false", "server.auth.type=none", "server.acme.directoryURL=https://acme.example/directory",
		}},
	)
}

func renderCase(t *testing.T, c gateCase, set ...string) *lint.Input {
	t.Helper()
	values := make([]string, len(c.values))
	for i, v := range c.values {
		values[i] = filepath.Join(repoRoot, v)
	}
	in, _, err := helm.Render(helm.Spec{Chart: chartDir, Values: values, Set: append(slices.Clone(c.set), set...), Profile: c.name})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// podSpec is the pod spec of the server Deployment.
func podSpec(t *testing.T, in *lint.Input) map[string]any {
	t.Helper()
	for _, o := range objects(in, "Deployment") {
		if o.Labels["name"] == "certctl-server" {
			return dig(o.Value, "spec", "template", "spec").(map[string]any)
		}
	}
	t.Fatal("no Deployment certctl-server")
	return nil
}

func dig(v any, path ...string) any {
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	return v
}

// container is the container (or init container) named name of list.
func container(t *testing.T, spec map[string]any, list, name string) map[string]any {
	t.Helper()
	for _, c := range spec[list].([]any) {
		if c.(map[string]any)["name"] == name {
			return c.(map[string]any)
		}
	}
	t.Fatalf("no %s named %s in %v", list, name, spec[list])
	return nil
}

func TestGateHasTheServersEnvironment(t *testing.T) {
	for _, c := range gateCases(t) {
		t.Run(c.name, func(t *testing.T) {
			spec := podSpec(t, renderCase(t, c))
			inits, _ := spec["initContainers"].([]any)
			if len(inits) != 1 {
				t.Fatalf("want one init container, got %d", len(inits))
			}
			gate := container(t, spec, "initContainers", "certgate")
			server := container(t, spec, "containers", "server")
			for _, k := range []string{"env", "envFrom", "volumeMounts"} {
				if !reflect.DeepEqual(gate[k], server[k]) {
					t.Errorf("%s of the gate differs from the server's:\n gate:   %v\n server: %v", k, gate[k], server[k])
				}
			}
			if len(server["env"].([]any)) < 8 {
				t.Errorf("the server has %d variables: the comparison saw no real environment", len(server["env"].([]any)))
			}
			if strings.Contains(c.name, "envFrom") && len(gate["envFrom"].([]any)) != 2 {
				t.Errorf("envFrom = %v, want the two sources of server.envFrom", gate["envFrom"])
			}
			// The TLS pair is mounted where the server's variables say.
			var tlsMount bool
			for _, m := range gate["volumeMounts"].([]any) {
				if dig(m, "mountPath") == "/etc/certctl/tls" && dig(m, "name") == "tls" && dig(m, "readOnly") == true {
					tlsMount = true
				}
			}
			if !tlsMount {
				t.Errorf("the gate does not mount the TLS Secret at /etc/certctl/tls: %v", gate["volumeMounts"])
			}
			if want := []any{"env", "--certctl-version", "2.1.7"}; !reflect.DeepEqual(gate["args"], want) {
				t.Errorf("args = %v, want %v", gate["args"], want)
			}
			if img := gate["image"]; img != "ghcr.io/certgate/certgate:0.1.0" {
				t.Errorf("image = %v", img)
			}
			sc := gate["securityContext"]
			if dig(sc, "runAsNonRoot") != true || dig(sc, "readOnlyRootFilesystem") != true || dig(sc, "allowPrivilegeEscalation") != false {
				t.Errorf("securityContext = %v, want non-root, read-only root filesystem, no privilege escalation", sc)
			}
			if dig(gate, "resources", "limits", "memory") == nil || dig(gate, "resources", "requests", "cpu") == nil {
				t.Errorf("resources = %v, want requests and a memory limit", gate["resources"])
			}
		})
	}
}

func TestGateValues(t *testing.T) {
	tlsOnly := gateCase{name: "tls", values: []string{"charts/certctl/values-tls.yaml"}}
	argsOf := func(set ...string) []any {
		spec := podSpec(t, renderCase(t, tlsOnly, set...))
		return container(t, spec, "initContainers", "certgate")["args"].([]any)
	}
	if spec := podSpec(t, renderCase(t, tlsOnly, "gate.enabled=false")); spec["initContainers"] != nil {
		t.Errorf("gate.enabled=false still renders initContainers: %v", spec["initContainers"])
	}
	for _, tc := range []struct {
		set  []string
		want []any
	}{
		{nil, []any{"env", "--certctl-version", "2.1.7"}},
		{[]string{"gate.probes=true"}, []any{"env", "--certctl-version", "2.1.7", "--probe", "db,acme"}},
		{[]string{"server.image.tag=v2.1.5"}, []any{"env", "--certctl-version", "2.1.5"}},
		{[]string{"server.image.tag=2.2.0", "gate.certctlVersion=2.1.6"}, []any{"env", "--certctl-version", "2.1.6"}},
	} {
		if got := argsOf(tc.set...); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("--set %v: args %v, want %v", tc.set, got, tc.want)
		}
	}
	spec := podSpec(t, renderCase(t, tlsOnly, "gate.image.repository=registry.example/certgate", "gate.image.tag=9.9.9"))
	if img := container(t, spec, "initContainers", "certgate")["image"]; img != "registry.example/certgate:9.9.9" {
		t.Errorf("image = %v", img)
	}
}

// TestGateIsNotAWorkload: the rules judge a render with the gate exactly as
// the same render without it: the same findings (rule, severity, message,
// subject, file and path), the same environments and roles, the Deployment
// still the release's one server workload, nothing reported at the init
// container. The cases include findings of DEPL-H1 (replicas), DEPL-M3 and
// DEPL-M2 (a placeholder in the server's env), so the comparison is not empty.
func TestGateIsNotAWorkload(t *testing.T) {
	eng, err := lint.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cases := append(gateCases(t),
		gateCase{name: "three replicas, no budget", values: []string{"charts/certctl/values-tls.yaml"}, set: []string{"server.replicas=3"}},
		gateCase{name: "placeholder in server.env", values: []string{"charts/certctl/values-tls.yaml"}, set: []string{"server.env[0].name=CERTCTL_EXTRA_SECRET", "server.env[0].value=change-me-extra"}},
	)
	seen := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			with, withIn := evalCase(t, eng, c, "gate.enabled=true")
			without, withoutIn := evalCase(t, eng, c, "gate.enabled=false")
			if !slices.Equal(with, without) {
				t.Errorf("findings differ with the gate:\n with:    %s\n without: %s", strings.Join(with, "\n          "), strings.Join(without, "\n          "))
			}
			for _, f := range with {
				seen[strings.Fields(f)[0]] = true
				if strings.Contains(f, "initContainers") || strings.Contains(f, "container certgate") {
					t.Errorf("a finding at the init container: %s", f)
				}
			}
			if a, b := envRoles(withIn), envRoles(withoutIn); !slices.Equal(a, b) {
				t.Errorf("environments differ with the gate: %v, without: %v", a, b)
			}
			var servers []string
			for _, o := range withIn.Manifests {
				if o.Role == lint.RoleServer {
					servers = append(servers, o.Labels["kind"]+"/"+o.Labels["name"])
				}
			}
			if !slices.Equal(servers, []string{"Deployment/certctl-server"}) {
				t.Errorf("server workloads = %v, want the Deployment alone", servers)
			}
			if c.name == "placeholder in server.env" && !slices.ContainsFunc(with, func(f string) bool {
				return strings.HasPrefix(f, "DEPL-M2 ") && strings.Contains(f, "env CERTCTL_EXTRA_SECRET of container server")
			}) {
				t.Errorf("DEPL-M2 does not report the placeholder at the server container: %v", with)
			}
		})
	}
	for _, rule := range []string{"DEPL-H1", "DEPL-M2", "DEPL-M3"} {
		if !seen[rule] {
			t.Errorf("no case produced a %s finding: the comparison does not cover it", rule)
		}
	}
}

// evalCase renders c with set and evaluates it; each finding is
// "RULE severity file path subject: message" (no line: the gate's lines
// shift the template).
func evalCase(t *testing.T, eng *lint.Engine, c gateCase, set ...string) ([]string, *lint.Input) {
	t.Helper()
	in := renderCase(t, c, set...)
	in.Meta.CertctlVersion = lint.DefaultCertctlVersion
	in.Meta.NowUnix = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).Unix()
	r, err := eng.Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range r.Findings {
		out = append(out, fmt.Sprintf("%s %s %s %s %s: %s", f.Rule, f.Severity, f.File, f.Path, f.Subject, f.Message))
	}
	slices.Sort(out)
	return out, in
}

func envRoles(in *lint.Input) []string {
	var out []string
	for _, e := range in.Envs {
		out = append(out, e.ID+" "+e.Role)
	}
	slices.Sort(out)
	return out
}

// TestGateImageIsDocumented: the README's table names the image the values
// default to.
func TestGateImageIsDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Gate struct {
			Image struct{ Repository, Tag string }
		}
	}
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(chartDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("`%s` / `%s`", v.Gate.Image.Repository, v.Gate.Image.Tag)
	if v.Gate.Image.Repository == "" || !strings.Contains(string(readme), want) {
		t.Errorf("charts/certctl/README.md does not name the gate image %s", want)
	}
}

// TestGateREADMEExample runs the README's "The gate in the chart" block as
// written, with the helm CLI, in the repository root.
func TestGateREADMEExample(t *testing.T) {
	helmBin := testutil.Tool(t, "helm", "helm.sh/helm/v3/cmd/helm@v3.22.0")
	block := testutil.ReadmeBlock(t, "## The gate in the chart", "sh")
	cmd := exec.Command("sh", "-ec", block)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(helmBin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's gate example fails: %v\n%s", err, out)
	}
	for _, want := range []string{"- name: certgate", "- env", "- --certctl-version", "- --probe", "- db,acme"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the README's gate example does not show %q:\n%s", want, out)
		}
	}
}

// dependentVar is Kubernetes' $(VAR) reference to an earlier variable.
var dependentVar = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// TestGateRunsWhatCertctlWouldRefuse runs the certgate binary as the init
// container would: its args, and the server container's environment with the
// render's Secrets resolved and $(VAR) references expanded. A configuration
// certctl starts with passes; one it refuses fails with the rule's message.
// (--no-host: the TLS files are the pod's; TestGateHasTheServersEnvironment
// checks that the gate mounts them.)
func TestGateRunsWhatCertctlWouldRefuse(t *testing.T) {
	bin := testutil.CertgateBinary(t)
	tlsOnly := gateCase{name: "tls", values: []string{"charts/certctl/values-tls.yaml"}}
	for _, tc := range []struct {
		name string
		set  []string
		code int
		want string
	}{
		{"defaults", nil, 0, ""},
		{"2.2.0 defaults", []string{"server.image.tag=2.2.0"}, 0, ""},
		{"server keygen at 2.2.0", []string{"server.image.tag=2.2.0", "server.keygenMode=server"}, 1, "CFG-KEYGEN"},
		{"body size with a unit", []string{"server.maxBodySize=10MB"}, 1, "SEC-L3"},
		{"bootstrap token allowed empty at 2.2.0", []string{"server.image.tag=2.2.0", "server.env[0].name=CERTCTL_AGENT_BOOTSTRAP_TOKEN", "server.env[0].value="}, 1, "SEC-H1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := renderCase(t, tlsOnly, tc.set...)
			spec := podSpec(t, in)
			gate := container(t, spec, "initContainers", "certgate")
			var env []string
			for _, e := range in.Envs {
				if e.Labels["container"] != "server" {
					continue
				}
				// Entries in order: Kubernetes expands $(VAR) from variables defined earlier.
				known := map[string]string{}
				for _, item := range gate["env"].([]any) {
					name := dig(item, "name").(string)
					v, ok := e.Vars[name]
					if !ok || !v.Known {
						t.Fatalf("%s is not resolved within the render", name)
					}
					val := dependentVar.ReplaceAllStringFunc(v.Value, func(ref string) string {
						if x, ok := known[ref[2:len(ref)-1]]; ok {
							return x
						}
						return ref
					})
					known[name] = val
					env = append(env, name+"="+val)
				}
			}
			if len(env) == 0 {
				t.Fatal("no server environment")
			}
			var args []string
			for _, a := range gate["args"].([]any) {
				args = append(args, a.(string))
			}
			cmd := exec.Command(bin, append(args, "--no-host")...)
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code || !strings.Contains(string(out), tc.want) {
				t.Errorf("certgate %v: exit %d, want %d naming %q\n%s", args, code, tc.code, tc.want, out)
			}
		})
	}
}
