# Shibafu: build, test, demo and benchmark every phase.
#
#   sudo make demo    set up the host, then run the main demo
#   sudo make test    set up the host, then run every test and the docs check
#
# Containers need root, so the targets that start them refuse to run
# without it rather than fail half-way.

SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(CURDIR)/bin:$(PATH)

# The phases that exist so far, as "number:folder".
PHASES := 0:phase0-runc 1:phase1-libcontainer
PHASE_DIRS := $(foreach p,$(PHASES),$(word 2,$(subst :, ,$(p))))

# Binaries built into bin/, as "folder/cmd/name".
BINARIES := phase0-runc/cmd/shibafu-bundle phase1-libcontainer/cmd/shibafu-ctr

GO ?= go
GOTEST := $(GO) test -count=1 -timeout 20m
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: help setup build test lint fmt-check vet docs-test vagrant-validate \
	demo bench clean require-root \
	phase0-test phase0-demo phase1-test phase1-demo phase1-bench

help:
	@echo "sudo make demo     set up the host and run the main demo"
	@echo "sudo make test     run every test, the docs check and the VM check"
	@echo "make build         build every binary into bin/"
	@echo "make lint          gofmt, go vet and staticcheck"
	@echo "sudo make bench    benchmarks, side by side with runc and crun"
	@echo "sudo make phaseN-test | phaseN-demo | phaseN-bench   one phase (N = 0, 1)"

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

# test runs everything CI checks. Each phase's lab tests run as root and
# never skip when CI=true.
test: setup build fmt-check vet phase0-test phase1-test docs-test vagrant-validate
	@echo "all tests passed"

fmt-check:
	@out=$$(gofmt -l $(PHASE_DIRS)); if [ -n "$$out" ]; then \
		echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(addsuffix /...,$(addprefix ./,$(PHASE_DIRS)))

lint: fmt-check vet
	$(GO) run $(STATICCHECK) $(addsuffix /...,$(addprefix ./,$(PHASE_DIRS)))

phase0-test: require-root
	$(GOTEST) ./phase0-runc/...

phase1-test: require-root
	$(GOTEST) ./phase1-libcontainer/...

docs-test: require-root build
	bash scripts/docs-test.sh docs/plan/*.md

vagrant-validate:
	vagrant validate --ignore-provider

phase0-demo: require-root build
	bash scripts/demo-phase0.sh

phase1-demo: require-root build
	bash scripts/demo-phase1.sh

# The main demo is the newest phase's walk-through; once the PaaS lands it
# will end with an app deployed from source.
demo: setup build phase1-demo

phase1-bench: require-root build
	bash scripts/bench-phase1.sh

bench: phase1-bench

clean:
	rm -rf bin
