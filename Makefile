# Two commands do everything: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m workshop serve

test: $(STAMP)
	bash scripts/system-deps.sh
	$(PY) -m ruff check workshop tests bench
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check workshop tests bench

bench: $(STAMP)
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) instance
