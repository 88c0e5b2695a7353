package main

import (
	"os"
	"runtime/debug"

	"github.com/skyform/skyform/internal/offline"
)

func main() {
	// The skyform binary is also the offline provider plugin: terraform
	// starts it through the launchers offline.Install writes.
	if offline.ServeIfRequested() {
		return
	}
	// A run is short and its heap is mostly live until it ends (the
	// blueprint, the IR, the generated files): collecting at 4x the live
	// heap rather than 2x spends a fifth less CPU on a large compile for a
	// fifth more peak memory. GOGC still decides when set.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(Main())
}
