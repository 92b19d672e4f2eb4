package server_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/certgate/certgate/server"
)

// A certctl server's main runs the gate before the core boots and refuses to
// start on any blocking finding.
func Example() {
	environ := []string{ // os.Environ() in a real main
		"CERTCTL_SERVER_TLS_CERT_PATH=/etc/certctl/tls/server.crt",
		"CERTCTL_SERVER_TLS_KEY_PATH=/etc/certctl/tls/server.key",
		"CERTCTL_AUTH_SECRET=0d7f3a",
		"CERTCTL_AGENT_BOOTSTRAP_TOKEN=4f1c0e",
		"CERTCTL_ACME_INSECURE=true",
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	err := server.Run(context.Background(), environ, func(ctx context.Context) error {
		fmt.Println("core booted")
		return nil
	}, server.WithLogger(logger), server.WithoutHost()) // the files named above are on the server's host, not here
	if errors.Is(err, server.ErrACMEInsecureWithoutAck) {
		fmt.Println("refusing to start:")
		fmt.Println(err)
	}
	// Output:
	// refusing to start:
	// SEC-M4: CERTCTL_ACME_INSECURE is true but CERTCTL_ACME_INSECURE_ACK is not: the server refuses to start (ErrACMEInsecureWithoutAck); trust the ACME CA and remove CERTCTL_ACME_INSECURE, or set CERTCTL_ACME_INSECURE_ACK=true for a test CA you control: ACME insecure mode without acknowledgement: set both CERTCTL_ACME_INSECURE=true and CERTCTL_ACME_INSECURE_ACK=true, or neither
}
