# Thin verbs. Each one creates the virtual environment first if it is missing or stale.
#   make lab [PORT=8888]   the student workspace in JupyterLab
#   make test              the whole test suite
#   make release           rebuild course/source and course/release from course/lessons
#   make bench             the benchmarks

VENV   := .venv
PYTHON := $(VENV)/bin/python
PORT   ?= 8888
comma  := ,
# On CI the optional PyTorch comparison is installed, so its tests run instead of skipping.
EXTRAS := dev$(if $(filter true,$(CI)),$(comma)torch)
# The networks here multiply small matrices, where BLAS threads cost more than they save.
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: lab test release bench install

install: $(VENV)/.installed-$(EXTRAS)

$(VENV)/.installed-$(EXTRAS): pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e ".[$(EXTRAS)]"
	touch $@

lab: install
	$(PYTHON) -m course.workspace
	$(VENV)/bin/jupyter lab --no-browser --ip=127.0.0.1 --port=$(PORT) --ServerApp.root_dir=workspace

test: install
	$(PYTHON) -m pytest

release: install
	$(PYTHON) -m course.build

bench: install
	$(PYTHON) bench/run.py
