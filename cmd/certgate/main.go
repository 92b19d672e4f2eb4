// Command certgate checks certctl deployments (compose files, Helm charts,
// manifests and environments) against certctl's deployment policies.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], streams{in: os.Stdin, out: os.Stdout, err: os.Stderr}, os.Environ))
}
