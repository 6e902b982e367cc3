# The long audio soak (issue 15), not part of `make test`:
#   make soak-audio                    5 minutes of speech, the main thread janking 200 ms a second
#   make soak-audio SOAK_SECONDS=60    shorter; SOAK_HINT=interactive|balanced|playback|<ms>
# Prints the underruns after prefill, the adapted latency over time and any
# mismatch, and writes the run to build/soak/audio-<time>.json.
SOAK_SECONDS ?= 300
SOAK_HINT ?= balanced

.PHONY: soak-audio
## soak-audio: stream speech for SOAK_SECONDS (default 300) under jank; report underruns, latency, mismatches
soak-audio: build
	node scripts/soak-audio.mjs --seconds $(SOAK_SECONDS) --hint $(SOAK_HINT)
