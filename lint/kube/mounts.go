package kube

import (
	"math"
	"path"
	"strings"

	"github.com/certgate/certgate/lint"
)

// defaultFileMode is the mode Kubernetes gives the files of a secret,
// configMap, projected or downwardAPI volume without defaultMode.
const defaultFileMode = 0o644

// writtenSources are the volume sources whose files Kubernetes writes itself,
// with the modes of the volume and the pod's fsGroup.
var writtenSources = map[string]bool{"secret": true, "configMap": true, "projected": true, "downwardAPI": true}

// containerMounts are the volumeMounts of container c with the facts of their
// volumes in podSpec: what a rule needs to tell whether a path of the
// container is backed by a mount and which mode Kubernetes gives its file.
// Never nil, so that a container without mounts still says so.
func containerMounts(podSpec, c map[string]any) []lint.Mount {
	vms, _ := c["volumeMounts"].([]any)
	out := make([]lint.Mount, 0, len(vms))
	if len(vms) == 0 {
		return out
	}
	volumes := map[string]map[string]any{}
	vs, _ := podSpec["volumes"].([]any)
	for _, v := range vs {
		vm, _ := v.(map[string]any)
		if name, _ := vm["name"].(string); name != "" {
			volumes[name] = vm
		}
	}
	var fsGroup *int64
	if g, ok := intOf(get(podSpec, []any{"securityContext", "fsGroup"})); ok {
		fsGroup = &g
	}
	for _, m := range vms {
		mm, _ := m.(map[string]any)
		mountPath, _ := mm["mountPath"].(string)
		if mountPath == "" {
			continue
		}
		mount := lint.Mount{Path: mountPath}
		mount.Volume, _ = mm["name"].(string)
		mount.SubPath, _ = mm["subPath"].(string)
		expr, _ := mm["subPathExpr"].(string)
		mount.SubPathExpr = expr != ""
		mount.ReadOnly, _ = mm["readOnly"].(bool)
		vol := volumes[mount.Volume]
		for k := range vol {
			if k != "name" {
				mount.Source = k
				break
			}
		}
		if writtenSources[mount.Source] {
			src, _ := vol[mount.Source].(map[string]any)
			mount.Files = volumeFiles(mount.Source, src)
			mount.FSGroup = fsGroup
		}
		out = append(out, mount)
	}
	return out
}

// volumeFiles are the files of a Kubernetes-written volume and their modes.
func volumeFiles(source string, src map[string]any) *lint.MountFiles {
	f := &lint.MountFiles{DefaultMode: defaultFileMode}
	if d, present := src["defaultMode"]; present {
		if m, ok := intOf(d); ok {
			f.DefaultMode = m
		} else {
			f.DefaultMode = -1
		}
	}
	if source != "projected" {
		addItems(f, src, source != "downwardAPI")
		return f
	}
	sources, _ := src["sources"].([]any)
	for _, s := range sources {
		sm, _ := s.(map[string]any)
		for kind, v := range sm {
			p, _ := v.(map[string]any)
			switch kind {
			case "secret", "configMap", "downwardAPI":
				addItems(f, p, kind != "downwardAPI")
			case "serviceAccountToken", "clusterTrustBundle", "podCertificate":
				// One file at the source's path, at the volume's mode.
				for _, field := range []string{"path", "credentialBundlePath", "keyPath", "certificateChainPath"} {
					if fp, _ := p[field].(string); fp != "" {
						f.Items = append(f.Items, lint.MountItem{Path: path.Clean(fp), Mode: f.DefaultMode})
					}
				}
			}
		}
	}
	return f
}

// addItems adds a source's items (each at its mode, else the volume's), or
// marks that it projects every key of its object when it lists none.
func addItems(f *lint.MountFiles, src map[string]any, keys bool) {
	items, _ := src["items"].([]any)
	if len(items) == 0 {
		f.AllKeys = f.AllKeys || keys
		return
	}
	for _, it := range items {
		im, _ := it.(map[string]any)
		p, _ := im["path"].(string)
		if p == "" {
			continue
		}
		mode := f.DefaultMode
		if m, present := im["mode"]; present {
			if v, ok := intOf(m); ok {
				mode = v
			} else {
				mode = -1
			}
		}
		f.Items = append(f.Items, lint.MountItem{Path: strings.TrimPrefix(path.Clean(p), "./"), Mode: mode})
	}
}

// intOf reads a YAML or JSON integer (yaml.v3 reads 0400 as octal, as the
// API server's YAML reader does).
func intOf(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case uint64:
		if n <= math.MaxInt64 {
			return int64(n), true
		}
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n), true
		}
	}
	return 0, false
}
