# Activation Functions, Derived: build, test and read the book.
#   make book       build the HTML book (warnings are errors)  make serve  serve it on :8000
#   make test       the whole test suite, browser tests too    make lab    JupyterLab on book/
#   make test-fast  every test but the book build and the browser (a quick loop)
#   make lint       ruff over the code
#   make release    the HTML book from nothing, to publish     make clean  remove the outputs
#   make notebooks  every page as .ipynb, with and without solutions, and zips
#   make pdf        the book as one PDF (needs TeX Live, see the target)
#   make bench      measure speed, accuracy, latency, build time and page weight
#   make bench-env  a separate environment with PyTorch (CPU) for the bench's ratios
#   make frameworks what PyTorch, JAX, Keras, TensorFlow return, against mpmath
#   make lock       re-pin requirements.txt (reader) and requirements-dev.txt (build, test)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# PyTorch only ever goes here, never into the book's environment
BENCH_VENV := .venv-bench
TORCH  ?= torch==2.13.0

.PHONY: book release notebooks pdf test test-fast lint bench bench-env frameworks serve \
	lab clean lock

# Python environment for building and testing, rebuilt when the pins change
$(VENV)/.stamp: requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# MathJax and the ipywidgets HTML manager, served by the book itself
node_modules/.stamp: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

book: $(VENV)/.stamp node_modules/.stamp
	$(BIN)/python _ext/build_book.py build . -W -n --keep-going
	@echo "Open $(CURDIR)/_build/html/index.html"

# What gets published: a build from nothing, so no stale page, asset or execution
# report (_build/html/reports/) from an earlier build is left in _build/html.
release: $(VENV)/.stamp node_modules/.stamp
	rm -rf _build
	$(BIN)/python _ext/build_book.py build . -W -n --keep-going
	test ! -e _build/html/reports

# Every page with code as a notebook, with and without solutions, and a zip of each
notebooks: $(VENV)/.stamp
	$(BIN)/python _ext/notebooks.py --out notebooks

# The book as one PDF through XeLaTeX; explorers give way to their static figures.
# Debian/Ubuntu: apt-get install --no-install-recommends latexmk texlive-xetex
#   texlive-latex-extra texlive-fonts-recommended texlive-lang-chinese fonts-noto-cjk
#   fonts-freefont-otf
# latexmk keeps the state of a failed run, so the LaTeX folder starts empty.
pdf: $(VENV)/.stamp
	rm -rf _build/latex
	$(BIN)/jupyter-book build . --builder pdflatex
	@echo "Wrote $(CURDIR)/_build/latex/activations-derived.pdf"

# Everything: the unit tests, the book build (warnings are errors) and every page in
# headless Chromium. Without a Chromium it stops at once and says how to get one.
test: $(VENV)/.stamp node_modules/.stamp
	$(BIN)/python -m pytest

test-fast: $(VENV)/.stamp
	$(BIN)/python -m pytest -m "not book and not browser"

lint: $(VENV)/.stamp
	$(BIN)/ruff check .

# The budgets of the book (benchmarks/bench.py): writes benchmarks/results.md and .json
# and the table in README.md; rebuilds _build from nothing to time it. PyTorch's
# ratios appear when `make bench-env` has made $(BENCH_VENV).
bench: $(VENV)/.stamp node_modules/.stamp
	$(if $(wildcard $(BENCH_VENV)/.stamp),$(BENCH_VENV),$(VENV))/bin/python benchmarks/bench.py

# A CPU build of PyTorch: where pip would pick a CUDA build (Linux x86_64 from PyPI),
# point it at PyTorch's CPU wheels, e.g.
#   make bench-env PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu
bench-env: $(BENCH_VENV)/.stamp

$(BENCH_VENV)/.stamp: requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet -r requirements-dev.txt '$(TORCH)'
	touch $@

# Every activation each framework has, run at its kinks, on the verification grid and
# in the far tails, value and autograd derivative in float32 and float64, against
# mpmath (benchmarks/frameworks.py). Rewrites src/activations/data/frameworks.json,
# which the chapters' framework tables read, and fails where a kink value that the
# registry claims for a framework is not what the framework returns. JAX and Keras 3
# (backend JAX) join PyTorch in $(BENCH_VENV); TensorFlow too where it installs.
TENSORFLOW_PINS := benchmarks/requirements-tensorflow.txt

frameworks: $(BENCH_VENV)/.frameworks-stamp
	PYTHONPATH=src KERAS_BACKEND=jax $(BENCH_VENV)/bin/python benchmarks/frameworks.py

$(BENCH_VENV)/.frameworks-stamp: $(BENCH_VENV)/.stamp benchmarks/requirements-frameworks.txt \
		$(TENSORFLOW_PINS)
	$(BENCH_VENV)/bin/pip install --quiet -r benchmarks/requirements-frameworks.txt
	$(BENCH_VENV)/bin/pip install --quiet -r $(TENSORFLOW_PINS) \
	    || echo "TensorFlow did not install: it is left out of the measurements"
	touch $@

serve:
	$(PYTHON) -m http.server --bind 127.0.0.1 --directory _build/html 8000

# Jupytext makes JupyterLab open the book's .md pages as notebooks (setting kept in the venv)
lab: $(VENV)/.stamp
	$(BIN)/jupytext-config --settings-file $(VENV)/share/jupyter/lab/settings/overrides.json \
	    set-default-viewer markdown
	$(BIN)/jupyter lab book/

clean:
	rm -rf _build notebooks

lock: $(VENV)/.stamp
	$(BIN)/python _ext/lock.py
