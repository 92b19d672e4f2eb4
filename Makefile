# certgate: policy as code for certctl deployments.
GO      ?= go
GOBIN   := $(shell $(GO) env GOPATH)/bin
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell c=$$(git rev-parse HEAD 2>/dev/null) && { git diff --quiet HEAD 2>/dev/null || c=$$c-dirty; echo $$c; } || echo unknown)
# The time of every file in the image: the last commit's, so a rebuild gives the same digest.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
LDFLAGS := -X main.version=$(VERSION) -X main.commit=$(COMMIT)
# make dist: static binaries that depend only on the sources, the Go version and VERSION/COMMIT.
DIST       ?= dist
PLATFORMS  ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64
DIST_FLAGS := -trimpath -buildvcs=false -ldflags "-s -w -buildid= $(LDFLAGS)"
IMAGE_ARCH ?= amd64
HELM_VERSION   := v3.22.0
PEBBLE_VERSION := v2.10.3
CONFTEST_VERSION := v0.71.1
ACTIONLINT_VERSION := v1.7.12
OPA_VERSION := v1.22.3
GATOR_VERSION := v3.23.1
export PATH := $(GOBIN):$(PATH)

.PHONY: all build dist image test vet fmt-check tools bench fuzz run docs clean

all: build test

build: ## the certgate binary in bin/
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/certgate ./cmd/certgate

# One static binary: $(call dist_one,OS,ARCH).
dist_one = CGO_ENABLED=0 GOOS=$(1) GOARCH=$(2) $(GO) build $(DIST_FLAGS) -o $(DIST)/certgate_$(1)_$(2) ./cmd/certgate

dist: ## static, reproducible binaries for PLATFORMS in $(DIST)/certgate_OS_ARCH, and $(DIST)/SHA256SUMS
	@mkdir -p $(DIST)
	$(foreach p,$(PLATFORMS),$(call dist_one,$(word 1,$(subst /, ,$(p))),$(word 2,$(subst /, ,$(p)))) &&) true
	cd $(DIST) && { command -v sha256sum >/dev/null && sum="sha256sum" || sum="shasum -a 256"; \
		$$sum $(foreach p,$(PLATFORMS),certgate_$(subst /,_,$(p))) > SHA256SUMS; }

image: ## the container image, no Docker engine needed: $(DIST)/certgate-image.tar (certgate:$(VERSION), linux/$(IMAGE_ARCH))
	@mkdir -p $(DIST)
	$(call dist_one,linux,$(IMAGE_ARCH))
	$(GO) run ./internal/image/cmd -binary $(DIST)/certgate_linux_$(IMAGE_ARCH) -arch $(IMAGE_ARCH) \
		-version $(VERSION) -commit $(COMMIT) -created $(SOURCE_DATE_EPOCH) -o $(DIST)/certgate-image.tar

test: tools vet fmt-check ## the whole test suite (Rego tests included)
	$(GO) test -count=1 -timeout 30m ./...

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# The CLIs the tests run: helm (piped renders, the Helm plugin), pebble (ACME
# probes), actionlint (the GitHub Action), opa (the bundle), gator (the Gatekeeper
# templates) and conftest (the benchmark peer, which must agree with certgate).
# PostgreSQL, pre-commit and ca-certificates come from the system's packages (see .ci/run).
tools:
	@command -v helm >/dev/null || $(GO) install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)
	@command -v pebble >/dev/null || $(GO) install github.com/letsencrypt/pebble/v2/cmd/pebble@$(PEBBLE_VERSION)
	@command -v actionlint >/dev/null || $(GO) install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	@command -v opa >/dev/null || $(GO) install github.com/open-policy-agent/opa@$(OPA_VERSION)
	@command -v gator >/dev/null || $(GO) install github.com/open-policy-agent/gatekeeper/v3/cmd/gator@$(GATOR_VERSION)
	@command -v conftest >/dev/null || $(GO) install github.com/open-policy-agent/conftest@$(CONFTEST_VERSION)

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
	rm -rf bin $(DIST)
