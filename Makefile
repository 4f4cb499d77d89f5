# Two commands for everyone (see README):  make lab   |   make test
# Both create .venv with python3 if it is missing and install the project into it (once:
# re-running is instant until pyproject.toml changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip --quiet --disable-pip-version-check
# jupyter refuses to run as root unless told; classroom containers often are root
# helpers.nodelay: kernel messages reach the browser without a 40 ms delay (smooth sliders)
NODELAY := --ServerApp.jpserver_extensions=helpers.nodelay=True
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: setup lab test notebooks bench screenshots determinism handouts lecture drag clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -e ".[test]"
	@touch $(STAMP)

lab: $(STAMP)  ## open JupyterLab on the series (127.0.0.1 only, with a token)
	$(BIN)/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir=notebooks $(NODELAY) $(AS_ROOT)

test: $(STAMP)  ## the whole suite: unit, widget, notebooks under strict nbval (and browser tests)
	$(BIN)/python -m pytest

notebooks: $(STAMP)  ## re-execute and save every notebook (fails loudly on any error)
	$(BIN)/python -m tools.execute

screenshots: $(STAMP)  ## the README's pictures (docs/screenshots/), from the browser tests' own run
	BROWSER_SCREENSHOTS=$(CURDIR)/docs/screenshots REQUIRE_BROWSER_TESTS=1 \
		$(BIN)/python -m pytest -q -p no:randomly -m browser tests/test_browser.py

bench: $(STAMP)  ## speed figures for README "Performance" (SciPy, from the bench extra, for one column)
	@$(BIN)/python -c "import scipy" 2>/dev/null || $(PIP) install -e ".[test,bench]"
	$(BIN)/python bench/run.py

handouts: $(STAMP)  ## every notebook as offline HTML in handouts/ (MathJax beside it, no network)
	$(BIN)/python -m tools.handouts

NB ?= 01
lecture: $(STAMP)  ## lecture mode: make lecture NB=06 serves notebook 06 with Voila (widgets, no code)
	$(BIN)/python -m tools.lecture $(firstword $(wildcard notebooks/$(NB)*.ipynb) notebooks/$(NB))

drag: $(STAMP)  ## drag every notebook's sliders in Chromium: pictures per second, mouse-up to last picture
	$(BIN)/python bench/drag.py

determinism: $(STAMP)  ## strict nbval 3 runs in a row, then re-execute a copy: nothing may differ
	$(BIN)/python -m tools.determinism --runs 3

clean:
	rm -rf $(VENV) .hypothesis
