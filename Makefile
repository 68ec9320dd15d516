# Setup is two commands: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT_BUILD_FLAGS ?=
DEFAULT_EXAMPLE ?= examples/chat-8b.yaml

.PHONY: run test deps pyyaml browser build release install uninstall bench fuzz report-screenshot golden clean kernel-tables serve-browser-test

# Installs GLPK (library, headers, glpsol) with apt-get, only when something is absent.
deps:
	@if [ ! -f /usr/include/glpk.h ] || ! command -v glpsol >/dev/null 2>&1; then \
		echo "Installing libglpk-dev and glpk-utils with apt-get..."; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libglpk-dev glpk-utils; \
	fi

# PyYAML for scripts/synthetic-catalog.py, which the time-limit test runs; installed only when missing.
pyyaml:
	@python3 -c "import yaml" 2>/dev/null || { echo "Installing python3-yaml with apt-get..."; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-yaml; }

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

# The Swift runtime and Foundation are linked statically into the release binary: a process then
# starts ~10 ms sooner (no dynamic symbol binding of libswiftCore and Foundation), which is a sixth
# of a typical `planner solve` (docs/benchmarks.md). Debug builds and tests link dynamically.
RELEASE_FLAGS ?= --static-swift-stdlib
release: deps
	swift build -c release $(RELEASE_FLAGS) $(SWIFT_BUILD_FLAGS)

# Installs the release binary, the catalogs, the man pages and the shell completions under PREFIX
# (scripts/install.sh lists the paths). The man pages come from swift-argument-parser's
# generate-manual plugin, which builds the package in release mode first.
PREFIX ?= /usr/local
MANUAL_DIR := .build/plugins/GenerateManual/outputs/planner
install: deps
	swift package generate-manual
	swift build -c release $(RELEASE_FLAGS) $(SWIFT_BUILD_FLAGS)
	@if [ -w "$(PREFIX)" ] || { [ ! -e "$(PREFIX)" ] && [ -w "$$(dirname "$(PREFIX)")" ]; }; then \
		scripts/install.sh "$(PREFIX)" .build/release/planner $(MANUAL_DIR); \
	else $(SUDO) scripts/install.sh "$(PREFIX)" .build/release/planner $(MANUAL_DIR); fi

uninstall:
	$(if $(shell [ -w "$(PREFIX)" ] || echo no),$(SUDO)) rm -rf "$(PREFIX)/bin/planner" "$(PREFIX)/share/planner" \
		"$(PREFIX)"/share/man/man1/planner*.1 "$(PREFIX)/share/bash-completion/completions/planner" \
		"$(PREFIX)/share/zsh/site-functions/_planner" "$(PREFIX)/share/fish/vendor_completions.d/planner.fish"

run: release
	.build/release/planner solve $(DEFAULT_EXAMPLE)

# generate-manual (from swift-argument-parser) lets the install test check the man pages too.
test: deps browser pyyaml
	swift build $(SWIFT_BUILD_FLAGS) --product generate-manual
	set -o pipefail; swift test $(SWIFT_BUILD_FLAGS) 2>&1 | tee .build/swift-test.log
	$(MAKE) serve-browser-test
	@sed -nE 's/.*Executed ([0-9]+) tests?, with ([0-9]+) failures? .*/\1 \2/p' .build/swift-test.log | tail -1 \
		| awk '{ print "XCTest: " $$1 - $$2 " passed, " $$2 " failed" }'

# Rewrites Tests/PlannerCLITests/Golden/ from the current binary; review the diff before committing.
golden: build
	UPDATE_GOLDEN=1 swift test $(SWIFT_BUILD_FLAGS) --filter GoldenTests

# Debian's headless Chromium, for the HTML and SVG layout checks (ChromiumChecksTests) and the
# screenshot; installed only when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { echo "Installing chromium with apt-get..."; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }

# Renders examples/chat-8b.yaml as HTML and screenshots it with headless Chromium (installed if missing).
report-screenshot: build browser
	mkdir -p .build/report
	.build/debug/planner solve $(DEFAULT_EXAMPLE) --format html --output .build/report/report.html
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot=$(CURDIR)/.build/report/report.png \
		--window-size=1280,2000 file://$(CURDIR)/.build/report/report.html
	@echo "Screenshot: .build/report/report.png"

clean:
	rm -rf .build

# Long mutation-fuzz run (docs/robustness.md): 50,000 in-process cases, 1,000 through the executable,
# and the full determinism check (every example, 20 runs in every format). `make test` runs 2,200 + 120.
FUZZ_CASES ?= 50000
FUZZ_CLI_CASES ?= 1000
FUZZ_SEED ?= 20260101
fuzz: build
	FUZZ_CASES=$(FUZZ_CASES) FUZZ_CLI_CASES=$(FUZZ_CLI_CASES) FUZZ_SEED=$(FUZZ_SEED) \
		FUZZ_DETERMINISM_EXAMPLES=all FUZZ_DETERMINISM_RUNS=20 \
		swift test $(SWIFT_BUILD_FLAGS) --filter PlannerFuzzTests

# Benchmarks (docs/benchmarks.md): release build, examples end to end, glpsol ratio, x10/x100
# catalogs, a 1,000-point sweep, brute force vs MILP. Writes .build/bench/results.md.
bench: release
	scripts/bench.sh

# Regenerates catalogs/kernel-efficiency.csv from AIConfigurator's measured kernel tables (docs/kernel-tables.md).
# Installs scripts/requirements-kernel-tables.txt into .build/kernel-tables-venv (Python >= 3.11) when missing;
# `make test` needs none of it. The output is byte-for-byte reproducible: `git diff catalogs/` stays empty.
KERNEL_TABLES_VENV ?= .build/kernel-tables-venv
KERNEL_TABLES_PYTHON ?= python3
kernel-tables:
	@if [ ! -x $(KERNEL_TABLES_VENV)/bin/python ]; then $(KERNEL_TABLES_PYTHON) -m venv $(KERNEL_TABLES_VENV); fi
	@$(KERNEL_TABLES_VENV)/bin/python -m pip install -q --disable-pip-version-check -r scripts/requirements-kernel-tables.txt
	$(KERNEL_TABLES_VENV)/bin/python scripts/derive-kernel-tables.py

# `planner serve` in headless Chromium (docs/serve.md): Debian's chromium and chromium-driver, and
# Selenium from PyPI in .build/browser-venv, each installed only when missing. Screenshots in .build/serve/.
serve-browser-test: build
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || { echo "Installing chromium and chromium-driver with apt-get..."; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }
	@[ -x .build/browser-venv/bin/python ] && .build/browser-venv/bin/python -c "import selenium" 2>/dev/null || { \
		python3 -m venv .build/browser-venv && .build/browser-venv/bin/pip install -q "selenium>=4.20,<5"; }
	.build/browser-venv/bin/python scripts/serve-browser-test.py .build/debug/planner
