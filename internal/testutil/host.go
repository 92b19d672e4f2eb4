package testutil

import (
	"path/filepath"
	"runtime"
)

// HostTLSDir holds a TLS pair that loads on any host (testdata/host/booting:
// a self-signed test certificate valid until 9999 and its key, a fixture with
// no other use), so that BootingEnv also passes the startup gate's host facts.
var HostTLSDir = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "host", "booting")
}()

func init() {
	BootingEnv["CERTCTL_SERVER_TLS_CERT_PATH"] = filepath.Join(HostTLSDir, "server.crt")
	BootingEnv["CERTCTL_SERVER_TLS_KEY_PATH"] = filepath.Join(HostTLSDir, "server.key")
}
