# certgate: policy as code for certctl deployments.
GO      ?= go
GOBIN   := $(shell $(GO) env GOPATH)/bin
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
HELM_VERSION   := v3.22.0
PEBBLE_VERSION := v2.10.3
CONFTEST_VERSION := v0.71.1
ACTIONLINT_VERSION := v1.7.12
OPA_VERSION := v1.22.3
GATOR_VERSION := v3.23.1
export PATH := $(GOBIN):$(PATH)

.PHONY: all build test vet fmt-check tools bench fuzz run docs clean

all: build test

build: ## the certgate binary in bin/
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/certgate ./cmd/certgate

test: tools vet fmt-check ## the whole test suite (Rego tests included)
	$(GO) test -count=1 -timeout 30m ./...

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# The helm CLI (piped-render tests) and pebble (ACME probe tests). PostgreSQL and
# pre-commit come from the system's packages (see .ci/run).
tools:
	@command -v helm >/dev/null || $(GO) install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)
	@command -v pebble >/dev/null || $(GO) install github.com/letsencrypt/pebble/v2/cmd/pebble@$(PEBBLE_VERSION)
	@command -v actionlint >/dev/null || $(GO) install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	@command -v opa >/dev/null || $(GO) install github.com/open-policy-agent/opa@$(OPA_VERSION)
	@command -v gator >/dev/null || $(GO) install github.com/open-policy-agent/gatekeeper/v3/cmd/gator@$(GATOR_VERSION)

bench: ## Go benchmarks, then certgate against conftest on the same inputs
	$(GO) test -run '^$$' -bench . -benchmem ./...
	@command -v conftest >/dev/null || $(GO) install github.com/open-policy-agent/conftest@$(CONFTEST_VERSION)
	./scripts/bench.sh

# Every fuzz target, one after another, each for FUZZTIME (make fuzz FUZZTIME=10m).
FUZZTIME ?= 30s
# Go minimises every new coverage-increasing input for up to 60 s by default,
# which stalls slow targets (compose, charts) for minutes at 0 execs/s.
FUZZMINIMIZETIME ?= 5s
FUZZ_TARGETS := \
	./lint/env:FuzzParseDotenv \
	./lint/manifest:FuzzLoad \
	./lint/compose:FuzzLoad \
	./lint/helm:FuzzValues \
	./lint/config:FuzzParse \
	./lint/waiver:FuzzInline

fuzz: ## fuzz every loader (dotenv, manifests, compose, chart values, certgate.yaml, inline carve-outs) for FUZZTIME each
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "== $$fn ($$pkg) for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) $$pkg; \
	done

run: ## lint this repository's own chart profiles and compose files
	$(GO) run ./cmd/certgate lint

docs: ## regenerate the policy catalog
	$(GO) run ./cmd/certgate policies doc --output docs/policies.md

clean:
	rm -rf bin
