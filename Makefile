# The two commands of the README: `make run` and `make test`. Both make .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: run test bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

run: $(BIN)/.installed
	$(BIN)/amu serve

test: $(BIN)/.installed
	$(BIN)/python -m pytest -q

# With DATABASE_URL and REDIS_URL set, both also measure PostgreSQL + Redis.
bench: $(BIN)/.installed
	$(BIN)/python bench/ussd_hop.py
	$(BIN)/python bench/callbacks.py
	$(BIN)/python bench/eligibility.py

clean:
	rm -rf $(VENV) var .pytest_cache
