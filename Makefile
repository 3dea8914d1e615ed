# The two commands a new machine needs: `make demo` and `make test`.
# Both install what is missing first (Debian packages via apt-get, Python packages in .venv).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
ASSETS := node_modules/.package-lock.json  # the dashboard's charts and the a11y checker (npm)
AOT := edge/fall/.aot-built  # the fall detector's kernel compiled ahead of time (no numba at run time)
APT_PACKAGES := mosquitto mosquitto-clients cups-ipp-utils avahi-daemon dbus chromium postgresql
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test check lint types contracts pytest system-deps services clean

demo: $(STAMP) $(ASSETS) $(AOT)
	$(BIN)/continuo demo

test: $(STAMP) $(ASSETS) $(AOT) services check

check: lint types contracts pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types:
	$(BIN)/mypy

contracts:
	$(BIN)/lint-imports

# Three test processes at once, also on two cores: most tests wait on a broker, a database or a
# browser, not on the CPU (one process: about 12.5 minutes here; three: about 5).
pytest:
	$(BIN)/pytest -n 3

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# PostgreSQL for the dual-database tests; D-Bus and Avahi for CUPS's ippeveprinter.
services: system-deps
	@pg_isready -q -h 127.0.0.1 -p 5432 || $(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done

$(STAMP): pyproject.toml
	$(MAKE) system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

# uPlot (charts) and axe-core (accessibility checks) from the npm registry, pinned by the lock.
$(ASSETS): package.json package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The agent loads this small extension instead of numba and LLVM; rebuilt when its source changes.
$(AOT): $(STAMP) edge/fall/detector.py edge/fall/layout.py edge/fall/model.py edge/fall/aot.py
	rm -f edge/fall/_aot*.so
	$(BIN)/python -m edge.fall.aot
	touch $@

clean:
	rm -rf $(VENV) node_modules .demo edge/fall/_aot*.so $(AOT) .pytest_cache .mypy_cache .ruff_cache
