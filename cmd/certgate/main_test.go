package main

import (
	"os"
	"testing"

	"github.com/certgate/certgate/internal/testutil"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testutil.RemoveBinary()
	os.Exit(code)
}
