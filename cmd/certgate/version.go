package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"

	opaversion "github.com/open-policy-agent/opa/v1/version"
	"github.com/spf13/cobra"

	"github.com/certgate/certgate/lint"
)

// devVersion is version when the build stamps none.
const devVersion = "0.1.0-dev"

// commit is set at build time with -ldflags "-X main.commit=..." when the
// build cannot stamp VCS information itself (make dist builds with
// -buildvcs=false so the bytes depend on the sources only).
var commit = ""

// opaModule is the module whose version `certgate version` reports.
const opaModule = "github.com/open-policy-agent/opa"

func init() {
	version, commit = stamp(version, commit, readBuildInfo())
}

func readBuildInfo() *debug.BuildInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	return bi
}

// stamp resolves the version and commit: the -ldflags values when the build
// set them, else what the Go toolchain recorded (the module version of
// `go install ...@vX`, or the pseudo-version and VCS revision of a build
// from a checkout), else the defaults.
func stamp(v, c string, bi *debug.BuildInfo) (string, string) {
	if bi == nil {
		if c == "" {
			c = "unknown"
		}
		return v, c
	}
	if v == devVersion && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	if c == "" {
		var rev string
		var modified bool
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		switch {
		case rev == "":
			c = "unknown"
		case modified:
			c = rev + "-dirty"
		default:
			c = rev
		}
	}
	return v, c
}

// opaVersion is the OPA module linked into this binary.
func opaVersion(bi *debug.BuildInfo) string {
	if bi != nil {
		for _, d := range bi.Deps {
			if d.Path == opaModule {
				if d.Replace != nil && d.Replace.Version != "" {
					return d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return "v" + opaversion.Version
}

// versionInfo is what `certgate version --format json` prints.
type versionInfo struct {
	Version       string `json:"version"`
	Commit        string `json:"commit"`
	Go            string `json:"go"`
	OPA           string `json:"opa"`
	CatalogDigest string `json:"catalog_digest"`
}

func (a *app) versionCmd() *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "version",
		Short: "Print certgate's version, commit, Go and OPA versions and policy catalog digest",
		Long: `Print certgate's version, the commit it was built from, the Go and OPA
versions it was built with and the digest of its built-in policy catalog (the
digest every report names).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return usageError("--format %q: want text or json", format)
			}
			digest, err := lint.CatalogDigest()
			if err != nil {
				return inputError(fmt.Errorf("built-in policy catalog: %w", err))
			}
			info := versionInfo{
				Version:       version,
				Commit:        commit,
				Go:            runtime.Version(),
				OPA:           opaVersion(readBuildInfo()),
				CatalogDigest: digest,
			}
			if format == "json" {
				enc := json.NewEncoder(a.out)
				enc.SetIndent("", "  ")
				return enc.Encode(info)
			}
			_, err = fmt.Fprintf(a.out, "certgate        %s\ncommit          %s\ngo              %s\nopa             %s\ncatalog_digest  %s\n",
				info.Version, info.Commit, info.Go, info.OPA, info.CatalogDigest)
			return err
		},
	}
	c.Flags().StringVarP(&format, "format", "o", "text", "output format: text or json")
	return c
}
