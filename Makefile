# Shibafu: build, test, demo and benchmark every phase.
#
#   sudo make demo    set up the host, then run the main demo
#   sudo make test    set up the host, then run every test and the docs check
#
# Containers need root, so the targets that start them refuse to run
# without it rather than fail half-way.

SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(CURDIR)/bin:$(PATH)

# Every phase is a folder phaseN-topic holding one Go module; every
# binary is a folder phaseN-topic/cmd/NAME.
PHASE_DIRS := $(sort $(wildcard phase[0-9]-*))
PHASES := $(foreach d,$(PHASE_DIRS),$(firstword $(subst -, ,$(d))))
BINARIES := $(sort $(wildcard phase[0-9]-*/cmd/*))
PACKAGES := $(addsuffix /...,$(addprefix ./,$(PHASE_DIRS)))

GO ?= go
GOTEST := $(GO) test -count=1 -timeout 20m
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: help setup build test lint fmt-check vet docs-test vagrant-validate \
	demo bench fuzz clean require-root

help:
	@echo "sudo make demo     set up the host and run the main demo"
	@echo "sudo make test     run every test, the docs check and the VM check"
	@echo "make build         build every binary into bin/"
	@echo "make lint          gofmt, go vet and staticcheck"
	@echo "sudo make bench    benchmarks, side by side with the peer tools"
	@echo "make fuzz          run every fuzz target for FUZZTIME (default 30s)"
	@echo "sudo make phaseN-test | phaseN-demo | phaseN-bench   one phase"
	@echo "phases here: $(PHASES)"

require-root:
	@if [ "$$(id -u)" -ne 0 ]; then \
		echo "this target starts containers and needs root: run it with sudo" >&2; exit 1; fi

setup: require-root
	bash scripts/provision.sh

build:
	@mkdir -p bin
	@for b in $(BINARIES); do \
		echo "go build -o bin/$$(basename $$b) ./$$b"; \
		$(GO) build -o bin/$$(basename $$b) ./$$b || exit 1; \
	done

# test runs everything CI checks. The phases' lab tests run as root and
# never skip when CI=true.
test: setup build lint $(addsuffix -test,$(PHASES)) docs-test vagrant-validate
	@echo "all tests passed"

fmt-check:
	@out=$$(gofmt -l $(PHASE_DIRS)); if [ -n "$$out" ]; then \
		echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PACKAGES)

lint: fmt-check vet
	$(GO) run $(STATICCHECK) $(PACKAGES)

docs-test: require-root build
	bash scripts/docs-test.sh docs/plan/*.md

vagrant-validate:
	vagrant validate --ignore-provider

# phaseN-test, phaseN-demo and phaseN-bench for each phase N. (Pattern
# rules cannot be .PHONY; no files of these names exist.)
phase%-test: require-root
	$(GOTEST) ./$(wildcard phase$*-*)/...

phase%-demo: require-root build
	bash scripts/demo-phase$*.sh

phase%-bench: require-root build
	@if [ -f scripts/bench-phase$*.sh ]; then bash scripts/bench-phase$*.sh; \
	else $(GO) test -run '^$$' -bench . ./$(wildcard phase$*-*)/...; fi

# The main demo is the newest phase's walk-through; once the PaaS lands it
# ends with an app deployed from source.
demo: setup build $(lastword $(PHASES))-demo

bench: $(addsuffix -bench,$(PHASES))

FUZZTIME ?= 30s
fuzz:
	@grep -rl --include='*_test.go' '^func Fuzz' $(PHASE_DIRS) | while read -r f; do \
		for name in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' "$$f" | cut -c6-); do \
			echo "go test -run '^$$' -fuzz '^$$name$$' -fuzztime $(FUZZTIME) ./$$(dirname $$f)"; \
			$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) ./$$(dirname $$f) || exit 1; \
		done; \
	done

clean:
	rm -rf bin
