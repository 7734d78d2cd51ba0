# Two commands do everything: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint bench clean translations messages

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) translations

# Compiled catalogues (.mo) are built, not committed.
translations: $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -d workshop/translations

# After changing interface text: refresh the template and merge it into nn and en.
messages: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location \
		--sort-output --omit-header -o workshop/translations/messages.pot .
	$(VENV)/bin/pybabel update -d workshop/translations -i workshop/translations/messages.pot \
		--no-fuzzy-matching

run: $(STAMP) translations
	$(PY) -m workshop serve

test: $(STAMP) translations
	bash scripts/system-deps.sh
	$(PY) -m ruff check workshop tests bench
	$(PY) -m ruff format --check workshop tests bench
	$(PY) -m mypy
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check workshop tests bench
	$(PY) -m ruff format --check workshop tests bench
	$(PY) -m mypy

# The simulated phones run the official socket.io-client under node (bench/package-lock.json).
bench/node_modules/.package-lock.json: bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund

bench: $(STAMP) bench/node_modules/.package-lock.json
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) instance
