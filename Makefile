# Thin wrapper over CMake. The two commands that matter:
#   make demo   install what is missing, build, compile the modules, serve them
#   make test   install what is missing, build, run the whole suite (then again under ASan+UBSan,
#               then the C tests in the other build types with gcc and clang)
# Other targets: build, asan, matrix, fuzz, fuzz-campaign, bench-*, clean.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_ARGS ?=
# The project's own builds treat warnings as errors (the CMake option is off by default for
# people building from source).
CMAKE_FLAGS ?= -DPOSTCARD_WERROR=ON

# Debian 12 packages the build, the tests and the demo need.
# One package per line, so changes that add packages merge cleanly.
DEBIAN_PACKAGES = \
	build-essential \
	cmake \
	pkg-config \
	libzip-dev \
	libxml2-dev \
	libxml2-utils \
	libmicrohttpd-dev \
	libsqlite3-dev \
	sqlite3 \
	libcmark-dev \
	libjansson-dev \
	libsodium-dev \
	libpq-dev \
	postgresql \
	nginx \
	openssl \
	libcmocka-dev \
	clang \
	libclang-rt-14-dev \
	lld \
	wasi-libc \
	libclang-rt-14-dev-wasm32 \
	chromium \
	zip \
	unzip \
	valgrind \
	node-markdown-it \
	node-xmldom

.PHONY: all deps build asan matrix fuzz fuzz-campaign demo test test-asan clean bench-validate bench-serve bench-commit bench-idle-rss

all: build

# Installs missing Debian packages (as root; otherwise prints the exact command and stops), then
# the npm packages the browser tests use. Node.js may come from Debian or NodeSource: only when
# `node` or `npm` is missing are Debian's nodejs and npm added.
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	missing=$$(echo $$missing); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian packages: $$missing"; \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing || exit 1; \
		else \
			echo "Postcard needs these Debian packages. Install them with:"; \
			echo "  sudo apt-get install -y $$missing"; \
			exit 1; \
		fi; \
	fi
	@if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund --loglevel=error; \
	fi

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DENABLE_SANITIZERS=ON $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j$(JOBS)

fuzz: deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DBUILD_FUZZERS=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j$(JOBS)

# A fuzzing campaign, never part of make test: each fuzz target (or TARGETS="zip request") runs
# for SECONDS at nice NICE, one after the other; what adds coverage is merged into
# tests/fuzz/corpus/<target>, and the first finding stops it with the reproducer and the report.
SECONDS ?= 1200
TARGETS ?=
NICE    ?= 19

fuzz-campaign:
	nice -n $(NICE) $(MAKE) --no-print-directory fuzz
	sh tests/fuzz/campaign.sh $(FUZZ_BUILD) $(SECONDS) $(NICE) $(TARGETS)

# The other build types, COMPILER:TYPE, each in build-COMPILER-TYPE: built warning-free and the C
# tests run (unit, cli, fuzz replay; the JavaScript, browser and valgrind tests run once, in
# $(BUILD)). With $(BUILD) (gcc RelWithDebInfo) and $(ASAN_BUILD) (clang Debug) that is Debug,
# RelWithDebInfo and Release with both compilers. MATRIX_BUILD_ONLY are only built.
MATRIX            ?= gcc:Debug gcc:Release clang:RelWithDebInfo clang:Release
MATRIX_BUILD_ONLY ?= gcc:MinSizeRel clang:MinSizeRel

matrix: deps
	@for m in $(MATRIX) $(MATRIX_BUILD_ONLY); do \
		cc=$${m%%:*}; type=$${m##*:}; dir=build-$$cc-$$type; \
		echo "== $$cc $$type ($$dir)"; \
		cmake -S . -B $$dir -DCMAKE_C_COMPILER=$$cc -DCMAKE_BUILD_TYPE=$$type $(CMAKE_FLAGS) >/dev/null && \
		cmake --build $$dir -j$(JOBS) >$$dir/build.log 2>&1 || { cat $$dir/build.log; exit 1; }; \
		case " $(MATRIX_BUILD_ONLY) " in *" $$m "*) continue;; esac; \
		ctest --test-dir $$dir --output-on-failure -j$(JOBS) -L 'unit|cli|fuzz' $(CTEST_ARGS) || exit 1; \
	done

# The whole suite (gcc build), then the C tests again under AddressSanitizer and
# UndefinedBehaviorSanitizer in a clang build, then in the other build types (matrix): every
# change is compiled warning-free by both compilers in every build type CI checks.
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS) $(CTEST_ARGS)
	$(MAKE) --no-print-directory test-asan
	$(MAKE) --no-print-directory matrix

test-asan: asan
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS) -L 'unit|cli|fuzz' $(CTEST_ARGS)

# Build every module in modules/ and the course (SCORM 1.2, the default), import them, serve on
# DEMO_LISTEN. Records persist in DEMO_DATA between runs.
DEMO_LISTEN ?= 127.0.0.1:8080
DEMO_DATA   ?= $(BUILD)/demo-data

demo: build
	@rm -rf $(BUILD)/demo-packages
	$(BUILD)/cli/postcard build modules -o $(BUILD)/demo-packages
	$(BUILD)/cli/postcard import $(BUILD)/demo-packages/*.zip --data $(DEMO_DATA)
	@echo
	@echo "Open http://postcard.localhost:$(lastword $(subst :, ,$(DEMO_LISTEN)))/ in a browser: the package list, then a module to play it."
	@echo "Records: the 'My records' page, or '$(BUILD)/cli/postcard records --data $(DEMO_DATA)'."
	@echo "Stop with Ctrl-C."
	@echo
	$(BUILD)/cli/postcard serve --data $(DEMO_DATA) --listen $(DEMO_LISTEN)

# Benchmarks (on demand, never part of make test): one JSON line each.
bench-validate: build
	bench/validate.sh $(BUILD)/cli/postcard
bench-serve: build
	bench/serve.sh
bench-commit: build
	bench/commit.sh
bench-idle-rss: build
	bench/idle-rss.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) build-gcc-* build-clang-*
