# Everything a fresh machine needs: `make demo` and `make test` create .venv and
# install the pinned, hashed dependencies (requirements*.txt) before running.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test install eval train bench schema clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --require-hashes -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install -q --no-build-isolation --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/sourcetrace analyze samples/harbour-bridge.txt

test: $(STAMP)
	$(PY) -m pytest -q

eval: $(STAMP)
	$(VENV)/bin/sourcetrace eval ../shared/data/polnear/dev

schema: $(STAMP)
	$(VENV)/bin/sourcetrace schema --out schema/article.schema.json

clean:
	rm -rf $(VENV) .pytest_cache
