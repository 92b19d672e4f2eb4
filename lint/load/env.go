package load

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/certgate/certgate/internal/fault"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/envvar"
)

// EnvSettings are the inputs of the env kind, which no walk detects: a
// process environment, or .env files (later files win), judged as the
// environment a certctl server or agent starts with.
type EnvSettings struct {
	// Files are .env files; when set, Environ is not judged.
	Files []string
	// Environ is a process environment (os.Environ form); nil judges none.
	Environ []string
	// Role is lint.RoleServer (the default) or lint.RoleAgent.
	Role string
}

// loadEnv loads the env kind: the .env files named, else the process
// environment.
func loadEnv(ctx context.Context, paths []string, opts Options) (*lint.Input, error) {
	if err := fault.Inject(ctx, fault.Loader); err != nil {
		return nil, err
	}
	role := opts.Env.Role
	if role == "" {
		role = lint.RoleServer
	}
	in := &lint.Input{}
	if len(paths) == 0 {
		in.Envs = []lint.Env{envvar.Process(opts.Env.Environ, role)}
		return in, nil
	}
	files := make([]*envvar.Dotenv, 0, len(paths))
	for _, p := range paths {
		fsys, name := osPath(p)
		d, err := envvar.LoadDotenv(fsys, name, p)
		if err != nil {
			return nil, err
		}
		in.AddFile(d.File)
		files = append(files, d)
	}
	in.Envs = []lint.Env{envvar.Env("env files", role, files...)}
	return in, nil
}

// Judged reports whether s names an environment to judge.
func (s EnvSettings) Judged() bool { return len(s.Files) > 0 || s.Environ != nil }

// envInputs are the env kind's explicit inputs; ok is false when the run
// judges no environment.
func envInputs(s EnvSettings) (paths []string, ok bool) { return s.Files, s.Judged() }

// osPath turns a command-line path into a filesystem and a valid fs.FS path
// inside it, so the loader reads through fs.FS whatever the user typed
// (relative, absolute, above the working directory, or <(...)).
func osPath(p string) (fs.FS, string) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return os.DirFS("."), filepath.ToSlash(filepath.Clean(p))
	}
	vol := filepath.VolumeName(abs)
	return os.DirFS(vol + string(filepath.Separator)), filepath.ToSlash(strings.TrimPrefix(abs[len(vol):], string(filepath.Separator)))
}
