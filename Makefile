# Streamscope: `make build`, `make test`, `make bench-ingest`, `make bench-collector`. `make help` lists everything.
BUILD_DIR ?= build
JOBS ?= 2
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles")
CMAKE_FLAGS ?=
# The sanitizer build: clang, ASan + UBSan, libFuzzer's instrumentation (make test-sanitize, make fuzz).
SANITIZE_DIR ?= build-sanitize
FUZZ_SECONDS ?= 120
# Paths relative to the checkout in ccache's keys (CMake uses ccache when it is installed):
# another clone (./start.sh's test) hits the cache. Always this checkout's, also when an
# outer make (the test run that builds a copy) exported its own.
export CCACHE_BASEDIR := $(CURDIR)

.PHONY: help deps build build-run run test test-unit test-sanitize fuzz container-test up down logs ps bench bench-ingest bench-collector \
  bench-api bench-stats fmt lint clean

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

deps: ## install missing Debian packages (no-op when all are present)
	@deploy/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -G "$(GENERATOR)" -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/CMakeCache.txt ## Release build, binaries in build/bin/
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The tests are most of the build: ./start.sh does without them.
build-run: deps $(BUILD_DIR)/CMakeCache.txt ## only what ./start.sh runs: the collector, the API, the demo's mock
	cmake --build $(BUILD_DIR) -j $(JOBS) --target streamscope-collector streamscope-api streamscope-mock

run: ## ./start.sh: the whole system on this machine (demo mode without Twitch credentials)
	./start.sh

test: build ## all tests, against a throwaway PostgreSQL (or TEST_DATABASE_URL)
	@deploy/install-deps.sh --deploy
	scripts/pg.sh run ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

test-unit: build ## unit tests only (no database)
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) -L unit

$(SANITIZE_DIR)/CMakeCache.txt:
	cmake -S . -B $(SANITIZE_DIR) -G "$(GENERATOR)" -DCMAKE_CXX_COMPILER=clang++-14 \
	  -DSTREAMSCOPE_FUZZ=ON $(CMAKE_FLAGS)

test-sanitize: deps $(SANITIZE_DIR)/CMakeCache.txt ## unit and database tests under ASan + UBSan (clang, build-sanitize/)
	cmake --build $(SANITIZE_DIR) -j $(JOBS) --target unit_tests db_tests
	scripts/pg.sh run ctest --test-dir $(SANITIZE_DIR) --output-on-failure -j $(JOBS) -L '^(unit|db)$$'

fuzz: deps $(SANITIZE_DIR)/CMakeCache.txt ## each fuzz target for FUZZ_SECONDS (120): executions, findings
	cmake --build $(SANITIZE_DIR) -j $(JOBS) --target fuzz_targets
	fuzz/run.sh $(SANITIZE_DIR) $(FUZZ_SECONDS)

# docker-compose 1.29 (Debian) or the compose plugin, whichever is there.
COMPOSE := $(shell command -v docker-compose >/dev/null 2>&1 && echo docker-compose || echo docker compose)

up: ## docker-compose: build the images and start the stack (settings from .env)
	$(COMPOSE) up -d --build

down: ## docker-compose: stop the stack (the database volume stays)
	$(COMPOSE) down

logs: ## docker-compose: follow the services' logs
	$(COMPOSE) logs -f --tail=100

ps: ## docker-compose: the services and their health
	$(COMPOSE) ps

container-test: ## the images and docker-compose.yml for real, on podman (root; several minutes)
	deploy/test/container-test.sh

bench-ingest: build ## write-path benchmark; last line is a JSON object
	scripts/pg.sh run $(BUILD_DIR)/bin/streamscope-bench-ingest

bench-collector: build ## the collector against the mock: cost, Twitch's and Kick's limits, fast churn; JSON last line
	scripts/pg.sh run python3 bench/collector/bench_collector.py \
	  $(BUILD_DIR)/bin/streamscope-collector $(BUILD_DIR)/bin/streamscope-mock

bench-api: build ## the API under wrk on 7 days of seeded data; last line is a JSON object
	@deploy/install-deps.sh --bench
	scripts/pg.sh run python3 bench/api/bench_api.py \
	  $(BUILD_DIR)/bin/streamscope-api $(BUILD_DIR)/bin/streamscope-seed-api

bench-stats: build ## rollups per sweep and every /stats route on 30 days x 5,000 channels; JSON last line
	scripts/pg.sh run python3 bench/stats/bench_stats.py \
	  $(BUILD_DIR)/bin/streamscope-api $(BUILD_DIR)/bin/streamscope-seed-stats

bench: bench-ingest bench-collector bench-api bench-stats ## every benchmark, one after the other

fmt: ## format the C++ sources in place
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

lint: ## check formatting
	git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

clean: ## remove the build directory
	rm -rf $(BUILD_DIR)
