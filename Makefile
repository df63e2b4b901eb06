# Thin verbs. Each one creates the virtual environment first if it is missing or stale.
#   make lab [PORT=8888] [TOKEN=...] [WORKSPACE=workspace]   the student workspace in JupyterLab
#   make test              the whole test suite
#   make release           rebuild course/source and course/release from course/lessons
#   make bench             the benchmarks
#   make grade SUBMISSIONS=...   autograde a class (see the grade target)

VENV   := .venv
PYTHON := $(VENV)/bin/python
PORT   ?= 8888
# make lab: TOKEN empty means Jupyter's own random token (printed in the URL).
TOKEN     ?=
WORKSPACE ?= workspace
comma  := ,
# On CI the optional PyTorch comparison is installed, so its tests run instead of skipping.
EXTRAS := dev$(if $(filter true,$(CI)),$(comma)torch)
# The networks here multiply small matrices, where BLAS threads cost more than they save.
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: lab test release bench grade install chromium

install: $(VENV)/.installed-$(EXTRAS)

$(VENV)/.installed-$(EXTRAS): pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e ".[$(EXTRAS)]"
	touch $@

# course/lab holds the student lab's Jupyter settings: nbgrader's Validate button (counting
# every cell's errors) without the instructor's formgrader, and a kernel that has %selfcheck.
lab: install
	$(PYTHON) -m course.workspace --workspace $(WORKSPACE)
	@echo "JupyterLab on $(WORKSPACE)/, Ctrl+C stops it. Open in your browser:"
	@echo "    http://127.0.0.1:$(PORT)/lab?token=$(or $(TOKEN),<the token printed below>)"
	JUPYTER_CONFIG_PATH=$(CURDIR)/course/lab JUPYTER_PATH=$(CURDIR)/course/lab \
	  $(VENV)/bin/jupyter lab --no-browser --ip=127.0.0.1 --port=$(PORT) --ServerApp.port_retries=0 \
	  --ServerApp.root_dir=$(WORKSPACE) --allow-root --log-level=WARN $(if $(TOKEN),--IdentityProvider.token=$(TOKEN))

# The browser test drives Debian's Chromium; on CI (as root) it is installed when missing.
chromium:
	@if [ "$(CI)" = true ] && [ ! -x /usr/bin/chromium ]; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; fi

# numpy picks its kernels by CPU (AVX2 or AVX-512), and exp or a sum can differ in the last bits.
# On CI the numerical tests run again on the AVX2 code path, so they pass on either kind of CPU.
AVX2_ONLY := NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL AVX512_SPR"

test: install chromium
	$(PYTHON) -m pytest
	@if [ "$(CI)" = true ]; then echo "numerical tests again, without numpy's AVX-512 kernels:"; \
	  $(AVX2_ONLY) $(PYTHON) -m pytest -m numerical tests; fi

release: install
	$(PYTHON) -m course.build

bench: install
	$(PYTHON) bench/run.py

# make grade SUBMISSIONS=<course/submitted, a folder of notebooks or an LMS zip> [COURSE=course]
#            [WORKERS=n] [ARGS="--timeout 120 --force ..."]
# autogrades a class with nbgrader, in parallel and sandboxed: feedback pages and grades.csv
# (python -m autograder.grading --help).
grade: install
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=<folder or zip> [COURSE=course] [WORKERS=n]"; exit 2; }
	$(PYTHON) -m autograder.grading grade "$(SUBMISSIONS)" $(if $(COURSE),--course "$(COURSE)") $(if $(WORKERS),--workers $(WORKERS)) $(ARGS)
