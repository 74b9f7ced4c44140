# Tidebreak: the two commands that matter are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
OUT    ?= out

.PHONY: all demo test test-full test-go test-py lint vet install install-demo install-full venv bench pgo generate fuzz-short wheels clean

all: test

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Install the package (this compiles the Go library) with the light extras:
# dev (pytest, hypothesis, mypy, PettingZoo), ray-core (Ray without RLlib,
# for the sweep tests) and viz (imageio-ffmpeg for MP4 export). No torch:
# `make test` stays small and quick on a cold machine.
install: $(PY)
	$(PIP) install --quiet ".[dev,ray-core,viz]"

# The heavy extras for `make test-full`: the trainer (train), Stable-Baselines3 and sb3-contrib,
# Ray with RLlib, and the torch they need (several GB with its CUDA libraries).
install-full: $(PY)
	$(PIP) install --quiet ".[dev,sb3,ray,viz,train]"

venv: install

# The package and its core dependencies only: what `make demo` needs.
install-demo: $(PY)
	$(PIP) install --quiet .

## make demo: simulate the default scenario, print a summary, write a PNG of the tracks.
demo: install-demo
	$(VENV)/bin/tidebreak demo --out $(OUT)/demo_tracks.png

# actionlint is pinned in go.mod (`tool` directive) and fetched with the
# other modules; with no arguments it checks every workflow.
vet:
	go vet ./...
	go tool actionlint

test-go: vet
	go test ./...
	$(MAKE) fuzz-short

## make fuzz-short: a few thousand inputs for each Go fuzz target (make test runs
## it; FUZZTIME=1000000x for a longer campaign, CI's fuzz job runs 200000x). The
## budget is a count of inputs, not a duration: with -fuzztime 5s, Go's fuzz
## coordinator can report its own deadline as a failure ("context deadline
## exceeded", no failing input written; go.dev/issue/75804, fixed in Go 1.27)
## when a busy machine delays a worker past it. New inputs
## that fail are written to the package's testdata/fuzz and fail `go test`
## until fixed. Seed corpora live in each package's testdata/fuzz.
FUZZTIME ?= 5000x
FUZZ_TARGETS := ./go/core/rlenv:FuzzSimulateReplay ./go/core/jsontree:FuzzParse ./go/core/arena:FuzzWorldLoad \
	./go/core/rlenv:FuzzEnvLoad ./go/morphospace:FuzzSpaceUnmarshal ./go/morphospace:FuzzStamp \
	./go/core/contract:FuzzParse ./go/core/rlenv:FuzzCheck
fuzz-short:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "fuzz $$pkg $$fn ($(FUZZTIME))"; \
		go test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2000x $$pkg || exit 1; \
	done

## make lint: the Python style and type checks (ruff's linter and formatter, mypy --strict).
lint: install
	$(VENV)/bin/ruff check src tests examples scripts setup.py
	$(VENV)/bin/ruff format --check src tests examples scripts setup.py
	$(VENV)/bin/mypy

test-py: install lint
	$(PY) -m pytest -q

## make test: Go vet + Go tests (including tests/go) + ruff, mypy --strict and the Python tests.
test: test-go test-py

## make test-full: everything, including the tests marked slow (learning
## runs) and full (SB3, MaskablePPO, RLlib: they need torch).
test-full: test-go install-full
	$(PY) -m pytest -q -m ""

bench: install
	go test -run XXX -bench . -benchmem ./go/...
	$(PY) -m tidebreak.bench

## make generate: rewrite what is generated from the Go sources — the Python
## layout module (src/tidebreak/engine/_layout_data.py) and the layout tables
## of docs/observation.md and docs/abi.md — from the library's tb_layout. Run
## it after changing go/core/arena/spec.go or the status codes;
## tests/py/test_layout.py fails until you do.
## It also writes the arena.v1 Python models (src/tidebreak/contracts/models.py)
## and the contract's docs tables (docs/contracts.md, docs/trust.md) from
## go/core/contract; go test ./go/cmd/contractgen fails until you do.
generate: $(PY)
	go run ./go/cmd/contractgen
	$(PY) -m pip install --quiet cffi
	$(PY) scripts/gen_layout.py

## make pgo: refresh go/capi/default.pgo, the CPU profile that `go build`
## optimises the library with (profile-guided optimisation, -pgo=auto): 256
## duels under random actions and the scenario ticks, fleets included.
## Simulation results do not depend on it; only speed does.
pgo:
	mkdir -p $(OUT)
	go test -run XXX -bench BatchStep256Random -benchtime 5s -cpuprofile $(OUT)/pgo-rlenv.prof ./go/core/rlenv
	go test -run XXX -bench TickScenario -benchtime 2s -cpuprofile $(OUT)/pgo-arena.prof ./go/core/arena
	go tool pprof -proto $(OUT)/pgo-rlenv.prof $(OUT)/pgo-arena.prof > go/capi/default.pgo
	rm -f rlenv.test arena.test  # left behind by -cpuprofile

## make wheels: build the manylinux x86_64/aarch64, Windows wheels and the sdist
## and check them (auditwheel, a smoke test without Go, the C ABI under
## qemu-aarch64, the DLL's exports); installs cross tools with apt as root.
wheels:
	scripts/check-wheels.sh

clean:
	rm -rf $(VENV) build dist $(OUT) src/*.egg-info tests/go/_build
