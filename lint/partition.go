package lint

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// A large input is evaluated in partitions, concurrently, so neither the time
// nor the memory of one evaluation grows with the whole input:
//
//   - local partitions: consecutive runs of objects with the environments of
//     their containers, and one partition with every other environment and
//     the compose projects. They evaluate every rule that judges one object or
//     environment at a time (the "local" results of the generated module).
//   - one cross partition: the compose projects, the environments the rules
//     that join objects read (crossEnv), and every object reduced to what
//     they read of it (CrossView). It evaluates those rules only
//     (the packages whose METADATA says custom.joins: true).
//
// Every partition sees the same meta, files and optional sections (releases,
// carve-outs, ...), except that manifest streams' documents stay out of
// input.files there (their objects are in input.manifests). A rule about
// something every partition sees reports the same finding in each, and the
// report drops exact duplicates, so the union equals one evaluation of the
// whole input. Only the built-in catalog is partitioned: a --policy rule may
// join anything.

// partitionMin is the number of objects from which an input is partitioned;
// partitionSize is the number of objects of one local partition.
var (
	partitionMin  = 512
	partitionSize = 256
)

// partitioner holds the queries of a partitioned evaluation, prepared on first
// use.
type partitioner struct {
	compiler     *ast.Compiler
	once         sync.Once
	local, cross rego.PreparedEvalQuery
	err          error
}

func (p *partitioner) prepare(ctx context.Context) error {
	p.once.Do(func() {
		q := func(name string) (rego.PreparedEvalQuery, error) {
			return rego.New(
				rego.Compiler(p.compiler),
				rego.Query("data."+evalPackage+"."+name),
				rego.StrictBuiltinErrors(true),
			).PrepareForEval(ctx)
		}
		if p.local, p.err = q("local"); p.err != nil {
			return
		}
		p.cross, p.err = q("cross")
	})
	return p.err
}

// partition is one evaluation of a partitioned input: its environments and
// objects (cross: the objects converted by their cross views, evaluated by
// the cross query).
type partition struct {
	envs      []*Env // into Input.Envs
	manifests []Object
	compose   []Object
	cross     bool
}

// split partitions in, or returns nil when it should be evaluated whole: a
// small input, one with probe or host facts (the gate's rules read "the first
// server environment"), or one where a container's environment cannot be
// traced to its object.
func (p *partitioner) split(in *Input) []partition {
	if len(in.Manifests) < partitionMin {
		return nil
	}
	if in.Probes != nil || in.Host != nil {
		return nil
	}
	owner := make(map[objKey]int, len(in.Manifests))
	for i, o := range in.Manifests {
		k, ok := keyOfObject(o.Ref)
		if !ok {
			return nil
		}
		if _, dup := owner[k]; dup {
			return nil
		}
		owner[k] = i
	}
	nparts := (len(in.Manifests) + partitionSize - 1) / partitionSize
	parts := make([]partition, nparts+2)
	rest := &parts[nparts]
	rest.compose = in.Compose
	for i := range in.Envs {
		e := &in.Envs[i]
		if e.Origin != OriginContainer {
			rest.envs = append(rest.envs, e)
			continue
		}
		o, ok := owner[keyOfEnv(e.Ref)]
		if !ok {
			return nil
		}
		parts[o/partitionSize].envs = append(parts[o/partitionSize].envs, e)
	}
	for j := range nparts {
		parts[j].manifests = in.Manifests[j*partitionSize : min((j+1)*partitionSize, len(in.Manifests))]
	}
	cross := &parts[nparts+1]
	cross.cross = true
	for i := range in.Envs {
		if crossEnv(&in.Envs[i]) {
			cross.envs = append(cross.envs, &in.Envs[i])
		}
	}
	cross.compose = in.Compose
	cross.manifests = in.Manifests // converted by their cross views
	return parts
}

// Partitioned reports whether Eval evaluates in in partitions (a large input
// and the built-in catalog): then no evaluation holds more than a run of
// objects, the cross views and the environments at once, whatever the size
// of the input.
func (e *Engine) Partitioned(in *Input) bool {
	return e.parts != nil && e.parts.split(in) != nil
}

// objKey names an object by file, document and, for an item of a List, its
// index.
type objKey struct {
	file string
	doc  int
	item int
}

func keyOfObject(r *Ref) (objKey, bool) {
	if r == nil {
		return objKey{}, false
	}
	switch {
	case len(r.Path) == 0:
		return objKey{r.File, r.Doc, -1}, true
	case len(r.Path) == 2 && r.Path[0] == "items":
		if i, ok := r.Path[1].(int); ok {
			return objKey{r.File, r.Doc, i}, true
		}
	}
	return objKey{}, false
}

// keyOfEnv is the key of the object a container's environment points into.
func keyOfEnv(r *Ref) objKey {
	if r == nil {
		return objKey{item: -2}
	}
	if len(r.Path) >= 2 && r.Path[0] == "items" {
		if i, ok := r.Path[1].(int); ok {
			return objKey{r.File, r.Doc, i}
		}
	}
	return objKey{r.File, r.Doc, -1}
}

// evalParts evaluates the partitions on a worker pool of one goroutine per
// core and gathers their results; the first error (in partition order) wins.
func (e *Engine) evalParts(ctx context.Context, in *Input, parts []partition) ([]rawResult, error) {
	p := e.parts
	if err := p.prepare(ctx); err != nil {
		return nil, &EvalError{fmt.Errorf("prepare partitioned query: %w", err)}
	}
	// The sections every partition shares are converted once.
	files, err := in.filesTerm(true)
	if err != nil {
		return nil, &EvalError{fmt.Errorf("convert input: %w", err)}
	}
	sections, err := in.sectionTerms()
	if err != nil {
		return nil, &EvalError{fmt.Errorf("convert input: %w", err)}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([][]rawResult, len(parts))
	errs := make([]error, len(parts))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(parts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i], errs[i] = e.evalPart(ctx, in, &parts[i], files, sections)
				if errs[i] != nil {
					cancel()
				}
			}
		}()
	}
	for i := range parts {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	var out []rawResult
	for i := range parts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, results[i]...)
	}
	if err := ctx.Err(); err != nil && len(out) == 0 {
		return nil, &EvalError{err}
	}
	return out, nil
}

func (e *Engine) evalPart(ctx context.Context, in *Input, part *partition, files *ast.Term, sections [][2]*ast.Term) ([]rawResult, error) {
	envs := make([]*ast.Term, len(part.envs))
	for i, env := range part.envs {
		envs[i] = env.term()
	}
	manifests, err := objectsTerm(part.manifests, part.cross)
	if err != nil {
		return nil, &EvalError{fmt.Errorf("convert input: %w", err)}
	}
	compose, err := objectsTerm(part.compose, false)
	if err != nil {
		return nil, &EvalError{fmt.Errorf("convert input: %w", err)}
	}
	v := in.document(files, ast.ArrayTerm(envs...), manifests, compose, sections)
	q := e.parts.local
	if part.cross {
		q = e.parts.cross
	}
	return e.evalQuery(ctx, q, v)
}

// crossKeep is what the rules that join (custom.joins) read of an object's value: a
// key maps to nil (keep the value whole) or to what to keep inside it (of a
// mapping its keys, of a list the same of every element). A value of another
// shape than expected is kept whole, so a rule meets the same shape.
type crossKeep map[string]crossKeep

// name is kept of every object: kind and metadata.name (subjects, messages).
var (
	nameKeep = crossKeep{"kind": nil, "metadata": {"name": nil}}

	// Every workload's pod labels (selectors are matched against them), of a
	// StatefulSet also its images (the bundled PostgreSQL), of a server
	// Deployment or StatefulSet also its replicas, spreading and affinity.
	podLabelsKeep = crossKeep{"kind": nil, "metadata": {"name": nil}, "spec": {"template": {"metadata": {"labels": nil}}}}
	statefulKeep  = crossKeep{"kind": nil, "metadata": {"name": nil}, "spec": {"template": {
		"metadata": {"labels": nil},
		"spec":     {"containers": {"image": nil}},
	}}}
	serverKeep = crossKeep{"kind": nil, "metadata": {"name": nil}, "spec": {
		"replicas": nil,
		"template": {
			"metadata": {"labels": nil},
			"spec": {
				"affinity":                  {"podAntiAffinity": nil},
				"topologySpreadConstraints": nil,
				"containers":                {"image": nil},
			},
		},
	}}

	crossKeepOf = map[string]crossKeep{
		"Deployment":              podLabelsKeep,
		"StatefulSet":             statefulKeep,
		"DaemonSet":               podLabelsKeep,
		"ReplicaSet":              podLabelsKeep,
		"Job":                     podLabelsKeep,
		"ReplicationController":   podLabelsKeep,
		"CronJob":                 {"kind": nil, "metadata": {"name": nil}, "spec": {"jobTemplate": {"spec": {"template": {"metadata": {"labels": nil}}}}}},
		"Pod":                     {"kind": nil, "metadata": {"name": nil, "labels": nil}},
		"Service":                 {"kind": nil, "metadata": {"name": nil, "annotations": nil}, "spec": {"selector": nil, "sessionAffinity": nil}},
		"PodDisruptionBudget":     {"kind": nil, "metadata": {"name": nil}, "spec": {"selector": nil, "minAvailable": nil, "maxUnavailable": nil}},
		"HorizontalPodAutoscaler": {"kind": nil, "metadata": {"name": nil}, "spec": {"minReplicas": nil, "scaleTargetRef": nil}},
		"NetworkPolicy":           {"kind": nil, "metadata": {"name": nil}, "spec": {"podSelector": nil}},
	}
)

// CrossView reduces an object's value to what the rules that join objects
// read of an object of its kind (and role, Object.Role): pod labels,
// selectors, replica counts, autoscaler targets, images; never data or
// environments.
func CrossView(v map[string]any, role string) map[string]any {
	kind, _ := v["kind"].(string)
	keep, ok := crossKeepOf[kind]
	if !ok {
		keep = nameKeep
	}
	if role == RoleServer && (kind == "Deployment" || kind == "StatefulSet") {
		keep = serverKeep
	}
	return keepOf(v, keep).(map[string]any)
}

// crossEnv: the environments the rules that join objects read: the server's
// and agent's (DEPL-H1's rate-limit backend, CFG-ROLE's judged releases and
// file sets) and those whose component label disagrees with their role
// (CFG-ROLE).
func crossEnv(e *Env) bool {
	return e.Role == RoleServer || e.Role == RoleAgent || e.Labels["role_conflict"] == "true"
}

func keepOf(v any, keep crossKeep) any {
	if keep == nil {
		return v
	}
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(keep))
		for k, sub := range keep {
			if x, ok := v[k]; ok {
				out[k] = keepOf(x, sub)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = keepOf(x, keep)
		}
		return out
	}
	return v
}
