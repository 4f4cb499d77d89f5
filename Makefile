# Two commands for everyone (see README):  make lab   |   make test
# Both first run tools/setup_env.py, which makes .venv and installs the project into it (once:
# re-running is instant until pyproject.toml changes). Linux and macOS; Windows: see README.
#
# Which Python: PYTHON=... if you give one (a .venv made by another Python is then made again),
# else the one .venv was made with, else python3. Too old (< 3.10) stops at once with a message.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ASKED  := $(filter command line environment,$(origin PYTHON))
# jupyter refuses to run as root unless told; classroom containers often are root
# helpers.nodelay: kernel messages reach the browser without a 40 ms delay (smooth sliders)
NODELAY := --ServerApp.jpserver_extensions=helpers.nodelay=True
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
# pytest with Python warning about text files opened without an encoding (= PYTHONWARNDEFAULTENCODING=1,
# but not passed on to the notebooks' kernels); pyproject.toml makes those warnings errors in our code
PYTEST := -X warn_default_encoding -m pytest
NOT_BROWSER := -m "not browser"
# The non-browser tests run in JOBS processes (pytest-xdist; one per core, at most 4), each test file
# in one of them (a notebook's cells share one kernel), started with the same -X switch as pytest.
# The browser tests run after them, one at a time (they measure the page; two would compete).
JOBS ?= $(shell python3 -c "import os; print(max(1, min(4, os.cpu_count() or 1)))" 2>/dev/null || echo 2)
in_parallel = --dist loadfile --tx "$(JOBS)*popen//python=$(CURDIR)/$(1)/bin/python -X warn_default_encoding"

.PHONY: setup lab test test-baseline venv-oldest venv-newest test-oldest test-newest notebooks bench screenshots determinism handouts lecture drag clean

setup:  ## make .venv if needed and install the project into it (make lab / make test do this first)
	@py="$(PYTHON)"; \
	if [ -z "$(ASKED)" ] && $(BIN)/python -c "" 2>/dev/null; then py=$(BIN)/python; fi; \
	command -v "$$py" >/dev/null 2>&1 || { echo "No $$py here. Choose an installed Python 3.10 or newer: make setup PYTHON=python3.12" >&2; exit 1; }; \
	"$$py" tools/setup_env.py --venv $(VENV)

lab: setup  ## open JupyterLab on the series (127.0.0.1 only, with a token)
	$(BIN)/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir=notebooks $(NODELAY) $(AS_ROOT)

test: setup  ## the whole suite: unit, widget, notebooks under strict nbval (in parallel), then the browser tests
	@status=0; \
	echo '$(BIN)/python $(PYTEST) $(NOT_BROWSER) $(call in_parallel,$(VENV))'; \
	$(BIN)/python $(PYTEST) $(NOT_BROWSER) $(call in_parallel,$(VENV)) || status=$$?; \
	echo '$(BIN)/python $(PYTEST) -m browser'; \
	$(BIN)/python $(PYTEST) -m browser || status=$$?; \
	exit $$status

test-baseline: setup  ## the non-browser suite as an older CPU runs it: numpy's SIMD dispatch and OpenBLAS lowered
	@features="$$($(BIN)/python -m tools.dispatch)" && export NPY_DISABLE_CPU_FEATURES="$$features" OPENBLAS_CORETYPE=Prescott && \
	echo "NPY_DISABLE_CPU_FEATURES=\"$$features\" OPENBLAS_CORETYPE=Prescott" && \
	$(BIN)/python -m tools.dispatch --check && \
	$(BIN)/python $(PYTEST) $(NOT_BROWSER) $(call in_parallel,$(VENV))

# $(call other_env,DIR,oldest|newest,PYTHON or empty,more setup_env.py arguments): make DIR with the
# oldest or newest supported Python (OLDEST_PYTHON= / NEWEST_PYTHON= name one; else tools.versions finds it)
define other_env
	@py="$(3)"; [ -n "$$py" ] || py="$$($(BIN)/python -m tools.versions python $(2))" || exit 1; \
	"$$py" tools/setup_env.py --venv $(1) $(4)
endef
# $(call suite_in,DIR,more pytest arguments): say what DIR has, then run the non-browser suite there
define suite_in
	@$(1)/bin/python -c "import sys, numpy, matplotlib, ipywidgets, jupyterlab; print('$(1):', sys.version.split()[0], \
	  *(f'{m.__name__} {m.__version__}' for m in (numpy, matplotlib, ipywidgets, jupyterlab)), sep='  ')"
	$(1)/bin/python $(PYTEST) $(NOT_BROWSER) $(call in_parallel,$(1)) $(2)
endef

venv-oldest: setup  ## .venv-oldest: the oldest supported Python, every package at its declared minimum
	@$(BIN)/python -m tools.versions constraints > $(VENV)/oldest-constraints.txt
	$(call other_env,.venv-oldest,oldest,$(OLDEST_PYTHON),--constraints $(VENV)/oldest-constraints.txt)

venv-newest: setup  ## .venv-newest: the newest supported Python, newest packages
	$(call other_env,.venv-newest,newest,$(NEWEST_PYTHON),)

# old packages warn about their newer dependencies' renamed APIs (pyparsing, ipykernel): not ours to fix
test-oldest: venv-oldest  ## the suite in .venv-oldest, and the browser tests of notebooks 01 and 06: proves the lower bounds
	$(call suite_in,.venv-oldest,-W ignore::DeprecationWarning)
	.venv-oldest/bin/python $(PYTEST) tests/test_browser.py -k "01 or 06" -W ignore::DeprecationWarning

test-newest: venv-newest  ## the non-browser suite in .venv-newest
	$(call suite_in,.venv-newest,)

notebooks: setup  ## re-execute and save every notebook (fails loudly on any error)
	$(BIN)/python -m tools.execute

screenshots: setup  ## the README's pictures (docs/screenshots/), from the browser tests' own run
	BROWSER_SCREENSHOTS=$(CURDIR)/docs/screenshots REQUIRE_BROWSER_TESTS=1 \
		$(BIN)/python $(PYTEST) -q -p no:randomly -m browser tests/test_browser.py

bench: setup  ## speed figures for README "Performance" (SciPy, from the bench extra, for one column)
	@$(BIN)/python -c "import scipy" 2>/dev/null || $(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python bench/run.py

handouts: setup  ## every notebook as offline HTML in handouts/ (MathJax beside it, no network)
	$(BIN)/python -m tools.handouts

NB ?= 01
lecture: setup  ## lecture mode: make lecture NB=06 serves notebook 06 with Voila (widgets, no code)
	$(BIN)/python -m tools.lecture $(firstword $(wildcard notebooks/$(NB)*.ipynb) notebooks/$(NB))

drag: setup  ## drag every notebook's sliders in Chromium: pictures per second, mouse-up to last picture
	$(BIN)/python bench/drag.py

determinism: setup  ## strict nbval 3 runs in a row, then re-execute a copy: nothing may differ
	$(BIN)/python -m tools.determinism --runs 3

clean:
	rm -rf $(VENV) .venv-oldest .venv-newest .hypothesis
