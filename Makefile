# Setup is two commands: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT_BUILD_FLAGS ?=
DEFAULT_EXAMPLE ?= examples/chat-8b.yaml

.PHONY: run test deps build release bench fuzz report-screenshot clean

# Installs GLPK (library, headers, glpsol) with apt-get, only when something is absent.
deps:
	@if [ ! -f /usr/include/glpk.h ] || ! command -v glpsol >/dev/null 2>&1; then \
		echo "Installing libglpk-dev and glpk-utils with apt-get..."; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libglpk-dev glpk-utils; \
	fi

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

release: deps
	swift build -c release $(SWIFT_BUILD_FLAGS)

run: release
	.build/release/planner solve $(DEFAULT_EXAMPLE)

test: deps
	swift test $(SWIFT_BUILD_FLAGS)

clean:
	rm -rf .build
