# deps: install what is missing, never more.  Debian packages through apt-get
# (as root; otherwise the exact command is printed), JS packages with `npm ci`
# from the committed package-lock.json.
DEB_PACKAGES := build-essential clang libclang-rt-14-dev clang-format clang-tidy cppcheck \
  valgrind libcriterion-dev pkg-config emscripten binaryen chromium libck-dev libjack-jackd2-dev gcovr \
  espeak-ng sox

.PHONY: deps deps-apt deps-npm
## deps: install missing Debian packages and npm dependencies
deps: deps-apt deps-npm

deps-apt:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	  done); \
	if [ -z "$$missing" ]; then echo "deps: Debian packages present"; exit 0; fi; \
	echo "deps: installing missing Debian packages:" $$missing; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "deps: not root. Run this, then make again:"; \
	  echo "  sudo apt-get update && sudo apt-get install -y $$missing"; exit 1; \
	fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -q && apt-get install -y -q $$missing

deps-npm: node_modules/.package-lock.json

# Node.js and npm come with the machine (this kind ships Node 20 with npm 11);
# Debian's own nodejs and npm packages are the fallback when they are missing.
node_modules/.package-lock.json: package-lock.json package.json
	@if ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" != 0 ]; then echo "deps: npm missing. Run: sudo apt-get install -y nodejs npm"; exit 1; fi; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm; fi
	@echo "deps: npm ci"; npm ci --no-audit --no-fund
	@touch $@
