# Thin verbs. Each one creates the virtual environment first if it is missing or stale.
#   make lab [PORT=8888] [WORKSPACE=workspace]   the student workspace in JupyterLab; a fixed token
#                          goes in the environment, TOKEN=... make lab (never on a command line)
#   make test              the whole test suite
#   make release           rebuild course/source and course/release from course/lessons
#   make bench             the benchmarks
#   make grade SUBMISSIONS=...   autograde a class (see the grade target)
#   make hub INSTRUCTOR=name     the class on JupyterHub, as root (see the hub target)

VENV   := .venv
PYTHON := $(VENV)/bin/python
PORT   ?= 8888
# make lab: TOKEN empty means Jupyter's own random token (printed in the URL it logs).
TOKEN     ?=
WORKSPACE ?= workspace
comma  := ,
# On CI the optional PyTorch comparison is installed, so its tests run instead of skipping.
EXTRAS := dev$(if $(filter true,$(CI)),$(comma)torch)
# The networks here multiply small matrices, where BLAS threads cost more than they save.
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: lab test release bench grade install chromium postgresql sandbox hub hub-parts

# make lab installs what a student needs: the project's own dependencies (JupyterLab, nbgrader,
# numpy, matplotlib, tqdm). make test, release, bench and grade add the dev extra (pytest,
# Playwright, jupytext for the build, ruff). pip lists each package as it installs it.
PIP     := $(PYTHON) -m pip install --disable-pip-version-check
STUDENT := $(VENV)/.installed-student

install: $(VENV)/.installed-$(EXTRAS)

$(STUDENT): pyproject.toml
	@echo "Setting up $(VENV), the course's Python: JupyterLab, nbgrader, numpy, matplotlib and tqdm."
	@echo "The first time pip downloads and installs them, listing each one: a minute or two."
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PIP) --progress-bar off -e .
	@touch $@

# An extra of pyproject.toml on top of that: dev (make test, release, bench, grade), hub.
$(VENV)/.installed-%: pyproject.toml $(STUDENT)
	@echo "Adding the [$*] extra to $(VENV)..."
	$(PIP) --quiet -e ".[$*]"
	@touch $@

# course/lab holds the student lab's Jupyter settings: nbgrader's Validate button (counting
# every cell's errors), no instructor tools, a kernel with %check and %selfcheck; course/lab/
# self-study adds what a lab outside a class hides: the exchange's Assignment List.
# The token reaches Jupyter through its environment (JUPYTER_TOKEN), never a command line.
lab: $(STUDENT)
	$(PYTHON) -m course.workspace --workspace $(WORKSPACE)
	@echo "Starting JupyterLab on $(WORKSPACE)/ (Ctrl+C stops it). Open in your browser:"
	@echo "    http://127.0.0.1:$(PORT)/lab?token=$(or $(TOKEN),<the token in the URL below>)"
	JUPYTER_CONFIG_PATH=$(CURDIR)/course/lab/self-study:$(CURDIR)/course/lab JUPYTER_PATH=$(CURDIR)/course/lab \
	  $(VENV)/bin/jupyter lab --no-browser --ip=127.0.0.1 --port=$(PORT) --ServerApp.port_retries=0 \
	  --ServerApp.root_dir=$(WORKSPACE) --allow-root --log-level=WARN
ifneq ($(TOKEN),)
lab: export JUPYTER_TOKEN := $(TOKEN)
endif

# The browser test drives Debian's Chromium; on CI (as root) it is installed when missing.
chromium:
	@if [ "$(CI)" = true ] && [ ! -x /usr/bin/chromium ]; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; fi

# The PostgreSQL gradebook test runs Debian's server; on CI (as root) it is installed when missing.
postgresql:
	@if [ "$(CI)" = true ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; fi

# Graded kernels run in bubblewrap's sandbox (autograder/sandbox); on CI it is installed when missing.
sandbox:
	@if [ "$(CI)" = true ] && ! command -v bwrap >/dev/null; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y bubblewrap; fi

# numpy picks its kernels by CPU (AVX2 or AVX-512), and exp or a sum can differ in the last bits.
# On CI the numerical tests run again on the AVX2 code path, so they pass on either kind of CPU.
AVX2_ONLY := NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL AVX512_SPR"

test: install chromium postgresql sandbox
	$(PYTHON) -m pytest
	@if [ "$(CI)" = true ]; then echo "numerical tests again, without numpy's AVX-512 kernels:"; \
	  $(AVX2_ONLY) $(PYTHON) -m pytest -m numerical tests; fi

release: install
	$(PYTHON) -m course.build

bench: install
	$(PYTHON) bench/run.py

# make grade SUBMISSIONS=<course/submitted, a folder of notebooks or an LMS zip> [COURSE=course]
#            [WORKERS=n | SCHEDULER=tcp://host:8786] [ARGS="--timeout 120 --force ..."]
# autogrades a class with nbgrader, in parallel and sandboxed: feedback pages and grades.csv
# (python -m autograder.grading --help). SCHEDULER: on that Dask cluster instead of local workers.
grade: install
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=<folder or zip> [COURSE=course] [WORKERS=n | SCHEDULER=address]"; exit 2; }
	$(PYTHON) -m autograder.grading grade "$(SUBMISSIONS)" $(if $(COURSE),--course "$(COURSE)") $(if $(WORKERS),--workers $(WORKERS)) $(if $(SCHEDULER),--scheduler "$(SCHEDULER)") $(ARGS)

# make hub INSTRUCTOR=<user> [STUDENTS=students] [COURSE=course] [EXCHANGE=/srv/nbgrader/exchange]
#          [HUB_DIR=/srv/rnn-hub] [HUB_IP=127.0.0.1] [HUB_PORT=8000]
# JupyterHub for a class on this machine, run as root: local Unix users log in with their passwords;
# INSTRUCTOR gets the formgrader and the grading command, the members of the group STUDENTS get the
# student lab (deploy/jupyterhub_config.py). The proxy comes from npm (deploy/package.json). The
# users' labs run in environments they can run: the students' (the course's dependencies, no
# answer key) built with the system's Python in STUDENT_ENV; the instructor's is INSTRUCTOR_ENV,
# this repository's .venv unless told otherwise (then built there, editable, with the system's Python).
HUB_DIR        ?= /srv/rnn-hub
STUDENT_ENV    ?= $(HUB_DIR)/student-env
INSTRUCTOR_ENV ?= $(VENV)
SYSTEM_PYTHON  ?= /usr/bin/python3
HUB_IP         ?= 127.0.0.1
HUB_PORT       ?= 8000
STUDENTS       ?= students
EXCHANGE       ?= /srv/nbgrader/exchange
PROXY          := deploy/node_modules/.bin/configurable-http-proxy
PIP_QUIET      := --quiet --disable-pip-version-check
# The students' environment: the course's dependencies and the hub's own version of JupyterHub.
STUDENT_PACKAGES = $(PYTHON) -c 'import tomllib, importlib.metadata as m; \
  print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"], "jupyterhub==" + m.version("jupyterhub"))'

hub-parts: $(VENV)/.installed-hub $(PROXY) $(STUDENT_ENV)/.installed $(INSTRUCTOR_ENV)/.installed-hub

$(PROXY): deploy/package.json deploy/package-lock.json
	cd deploy && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(STUDENT_ENV)/.installed: pyproject.toml $(VENV)/.installed-hub
	test -x $(STUDENT_ENV)/bin/python || $(SYSTEM_PYTHON) -m venv $(STUDENT_ENV)
	$(STUDENT_ENV)/bin/pip install $(PIP_QUIET) $$($(STUDENT_PACKAGES))
	chmod -R go+rX $(STUDENT_ENV)
	touch $@

ifneq ($(abspath $(INSTRUCTOR_ENV)),$(abspath $(VENV)))
$(INSTRUCTOR_ENV)/.installed-hub: pyproject.toml
	test -x $(INSTRUCTOR_ENV)/bin/python || $(SYSTEM_PYTHON) -m venv $(INSTRUCTOR_ENV)
	$(INSTRUCTOR_ENV)/bin/pip install $(PIP_QUIET) -e ".[hub]"
	chmod -R go+rX $(INSTRUCTOR_ENV)
	touch $@
endif

hub: hub-parts
	@test -n "$(INSTRUCTOR)" || { echo "usage: make hub INSTRUCTOR=<user name> [STUDENTS=<group>] (as root)"; exit 2; }
	RNN_HUB_INSTRUCTOR=$(INSTRUCTOR) RNN_HUB_STUDENTS=$(STUDENTS) RNN_HUB_COURSE=$(or $(COURSE),course) \
	  RNN_HUB_EXCHANGE=$(EXCHANGE) RNN_HUB_DIR=$(HUB_DIR) RNN_HUB_STUDENT_ENV=$(abspath $(STUDENT_ENV)) \
	  RNN_HUB_INSTRUCTOR_ENV=$(abspath $(INSTRUCTOR_ENV)) RNN_HUB_IP=$(HUB_IP) RNN_HUB_PORT=$(HUB_PORT) \
	  $(VENV)/bin/jupyterhub -f deploy/jupyterhub_config.py
