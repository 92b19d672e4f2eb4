package main

import (
	"testing"

	"github.com/certgate/certgate/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }
