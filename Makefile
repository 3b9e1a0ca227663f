# netcook: the two commands a newcomer needs are `make demo` and `make test`.
# Both install what is missing (Debian 12 packages), build, then run.

BUILD_DIR     ?= build
ASAN_DIR      ?= build-asan
FUZZ_DIR      ?= build-fuzz
FUZZ_SECONDS  ?= 60
JOBS          ?= $(shell nproc 2>/dev/null || echo 2)
PYTHON        := /usr/bin/python3
NETCOOK       := $(BUILD_DIR)/bin/netcook
CMAKE_FLAGS   ?=

# Everything the build and the tests need, as Debian 12 package names.
# openimageio-tools: Debian's OpenImageIOTargets.cmake refers to /usr/bin/oiiotool,
# iconvert, ... and find_package(OpenImageIO) fails when they are absent.
DEPS := g++ make cmake pkg-config ccache git \
        libhwy-dev libopenimageio-dev openimageio-tools libyaml-cpp-dev pybind11-dev libcli11-dev \
        python3-dev python3-numpy python3-pytest python3-openimageio \
        libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev libfftw3-dev \
        libdeflate-dev libisal-dev python3-pil python3-opencv ffmpeg \
        libfreetype-dev libharfbuzz-dev fonts-dejavu-core fonts-dejavu-extra \
        libgtest-dev libbenchmark-dev nlohmann-json3-dev \
        bubblewrap libseccomp-dev
# Only the tests need these: the HTML report of `netcook test` is opened in a
# headless Chromium, its JUnit XML validated against an XSD with lxml; the
# farm tests run a single-node Slurm (tests/farm/slurm-local.sh).
TEST_DEPS := chromium-headless-shell python3-lxml python3-jsonschema slurm-wlm munge
# The benchmark also times the same pipeline written with numpy + OpenCV, and
# start-up beside `ffmpeg -version`.
BENCH_DEPS := python3-opencv
# Only `make fuzz` needs clang: libFuzzer and its sanitizer runtimes, and
# LLVM's OpenMP (the library's kernels use OpenMP; clang does not read GCC's omp.h).
FUZZ_DEPS := clang libclang-rt-14-dev libomp-14-dev

# ccache keys on paths relative to the checkout, so clones and worktrees in
# other folders share one cache.
export CCACHE_BASEDIR := $(CURDIR)

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps bench-deps test-deps fuzz-deps build install demo test unit-test cli-test golden-test bench asan \
        asan-quick fuzz docs check-docs bless clean

all: build

# Installs only the missing packages; silent when nothing is missing.
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "netcook: installing" $$missing; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	fi
endef

deps:
	$(call install_missing,$(DEPS))

bench-deps: deps
	$(call install_missing,$(BENCH_DEPS))

test-deps: deps
	$(call install_missing,$(TEST_DEPS))

# Keyed on the generated Makefile, which only a successful configure writes
# (a failed one leaves CMakeCache.txt behind, and is then simply re-run).
$(BUILD_DIR)/Makefile: | deps
	@echo "cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DNETCOOK_WERROR=ON $(CMAKE_FLAGS)"
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DNETCOOK_WERROR=ON $(CMAKE_FLAGS) >/dev/null || \
	  { rm -f $(BUILD_DIR)/CMakeCache.txt; exit 1; }

build: deps $(BUILD_DIR)/Makefile
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: deps build
	$(NETCOOK) render scenes/quickstart.yaml
	@echo "netcook: the quickstart frames are in $(CURDIR)/out/quickstart/ (frame.0001.png ...)"

unit-test: build
	cd $(BUILD_DIR) && ctest --output-on-failure

cli-test: build test-deps
	NETCOOK_BIN=$(CURDIR)/$(NETCOOK) $(PYTHON) -m pytest -q tests/cli tests/python tests/reliability tests/sandbox tests/grading tests/farm

# The project's golden frames (netcook-tests.yaml: every operator, the
# tutorial's scenes) through `netcook test`; the report (index.html, junit.xml)
# lands in $(BUILD_DIR)/golden-report/.
GOLDEN_REPORT := $(BUILD_DIR)/golden-report
golden-test: build
	$(NETCOOK) test netcook-tests.yaml --report $(GOLDEN_REPORT) --junit $(GOLDEN_REPORT)/junit.xml --quiet

test: deps build unit-test cli-test golden-test check-docs asan-quick

# After an intended change: writes new goldens for the frames that fail or
# have none, printing each golden that changed and by how much (review the
# report in $(GOLDEN_REPORT)/ first). One case: netcook test --bless CASE.
bless: build
	$(NETCOOK) test netcook-tests.yaml --bless-failed --report $(GOLDEN_REPORT)

# The netcook command into /usr/local/bin and the Python package into
# /usr/local/lib/python3.11/dist-packages (PREFIX=... to choose).
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

# Regenerates the operator reference from the registry.
docs: build
	$(NETCOOK) ops --markdown > docs/operators.md

# Fails when docs/operators.md no longer matches the registry.
check-docs: build
	@$(NETCOOK) ops --markdown | diff -u docs/operators.md - >/dev/null || \
	  { echo "docs/operators.md is out of date: run 'make docs'"; exit 1; }

bench: bench-deps build
	$(BUILD_DIR)/bin/netcook_bench --benchmark_counters_tabular=true
	$(PYTHON) bench/end_to_end.py --netcook $(NETCOOK)
	$(PYTHON) bench/test_runner.py --netcook $(NETCOOK)
	$(PYTHON) bench/movies.py --netcook $(NETCOOK)
	$(PYTHON) bench/audio.py --netcook $(NETCOOK)
	$(PYTHON) bench/grade_bench.py --netcook $(NETCOOK)
	$(PYTHON) bench/sandbox_overhead.py --netcook $(NETCOOK)
	$(PYTHON) bench/farm.py --netcook $(NETCOOK)

# AddressSanitizer + UndefinedBehaviorSanitizer build running the unit and CLI tests.
asan: deps
	cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNETCOOK_SANITIZE=ON -DNETCOOK_BENCH=OFF >/dev/null
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=0 ctest --output-on-failure
	# Sessions made and destroyed over and over leak nothing of netcook's.
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan-python.supp \
	  $(ASAN_DIR)/bin/netcook_unit_tests --gtest_filter='Session*'
	ASAN_OPTIONS=detect_leaks=0 NETCOOK_BIN=$(CURDIR)/$(ASAN_DIR)/bin/netcook $(PYTHON) -m pytest -q tests/cli tests/python

# The part of `make asan` that fits in every CI run (docs/decisions.md,
# 2026-11-27): all unit tests, and the CLI tests that feed the loader hostile
# input, under AddressSanitizer + UndefinedBehaviorSanitizer. Built at -O0
# with line tables only, in its own directory: with the sanitizers, -O2 -g
# (`make asan`) costs about 4x the CPU of the release build, -O0 -g1 about
# the same as it, and a cold CI runner compiles everything.
ASAN_QUICK_DIR       ?= build-asan-quick
ASAN_QUICK_CLI_TESTS := tests/cli/test_bad_scenes.py
asan-quick: deps
	cmake -S . -B $(ASAN_QUICK_DIR) -DCMAKE_BUILD_TYPE=AsanQuick -DCMAKE_CXX_FLAGS_ASANQUICK="-O0 -g1" \
	  -DNETCOOK_SANITIZE=ON -DNETCOOK_BENCH=OFF -DNETCOOK_WERROR=ON >/dev/null
	cmake --build $(ASAN_QUICK_DIR) -j $(JOBS)
	cd $(ASAN_QUICK_DIR) && ASAN_OPTIONS=detect_leaks=0 ctest --output-on-failure
	ASAN_OPTIONS=detect_leaks=0 NETCOOK_BIN=$(CURDIR)/$(ASAN_QUICK_DIR)/bin/netcook $(PYTHON) -m pytest -q $(ASAN_QUICK_CLI_TESTS)

fuzz-deps:
	$(call install_missing,$(FUZZ_DEPS))

# libFuzzer on the scene loader (tests/fuzz/), seeded with every scene in the
# repository, for FUZZ_SECONDS (make fuzz FUZZ_SECONDS=600). Findings land in
# $(FUZZ_DIR)/artifacts/; each fixed one becomes a tests/data/bad/ scene.
FUZZ_SEED_DIRS := scenes tests/data tests/python/scenes
fuzz: deps fuzz-deps
	CXX=clang++ cmake -S tests/fuzz -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target scene_loader_fuzzer
	@rm -rf $(FUZZ_DIR)/seeds && mkdir -p $(FUZZ_DIR)/seeds $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
	@find $(FUZZ_SEED_DIRS) -name '*.yaml' | while read -r f; do cp "$$f" "$(FUZZ_DIR)/seeds/$$(echo "$$f" | tr / _)"; done
	cd $(FUZZ_DIR) && ./scene_loader_fuzzer corpus seeds -dict=$(CURDIR)/tests/fuzz/scene.dict \
	  -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
	  -artifact_prefix=artifacts/ -print_final_stats=1

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(ASAN_QUICK_DIR) $(FUZZ_DIR) out
