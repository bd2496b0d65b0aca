# Reception pipeline. `make build` and `make test` set everything up themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
INPUT ?= input
OUTPUT ?= output
TODAY ?=
PDF ?=
SETTINGS ?=
ARGS := --input "$(INPUT)" --output "$(OUTPUT)" $(if $(TODAY),--today $(TODAY)) $(if $(PDF),--pdf $(PDF)) \
	$(if $(SETTINGS),--settings "$(SETTINGS)")
MAILCONFIG ?=
MAILARGS := $(if $(MAILCONFIG),--mail-config "$(MAILCONFIG)")

.PHONY: help build check template test test-fast bench sample clean mail send

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

# Exit status 1 means "built, and some visits have error-level findings": the job was
# done, so make carries on; 2 (a file could not be read, or misuse) and 3 (a defect) stop it.
FINDINGS_OK = || [ $$? -eq 1 ]

build: $(STAMP) ## check the workbooks in input/ and produce every document in output/
	$(PY) -m pipeline build $(ARGS) $(FINDINGS_OK)

check: $(STAMP) ## check the workbooks in input/ and write the reports only
	$(PY) -m pipeline check $(ARGS) $(FINDINGS_OK)

mail: $(STAMP) ## build, then write e-mail drafts (.eml) to each visit's outbox/ in output/
	$(PY) -m pipeline mail $(ARGS) $(MAILARGS) $(FINDINGS_OK)

send: $(STAMP) ## build, then send by SMTP what was not sent yet (DRYRUN=1: only show it)
	$(PY) -m pipeline send $(ARGS) $(MAILARGS) $(if $(DRYRUN),--dry-run)

template: $(STAMP) ## write blank visits workbooks (Chinese and English) to output/
	$(PY) -m pipeline template --output "$(OUTPUT)"

test: $(STAMP) ## run the tests
	$(PY) -m pytest -q

test-fast: $(STAMP) ## run the tests that start no other program (LibreOffice, Chromium, the CLI)
	$(PY) -m pytest -q -m "not slow"

bench: $(STAMP) ## time each stage on 100-, 1,000- and 10,000-visit workbooks, whole builds, PDF copies
	$(PY) scripts/bench.py
	$(PY) scripts/bench_build.py

sample: $(STAMP) ## regenerate the sample workbook in input/, its dates moved to today (or TODAY=)
	$(PY) scripts/make_sample.py $(if $(TODAY),--today $(TODAY))

clean: ## remove generated outputs (they hold personal data) and the virtual environment
	find "$(OUTPUT)" -mindepth 1 ! -name .gitkeep ! -name README.md -exec rm -rf {} +
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
