package main

import (
	"os"

	"github.com/skyform/skyform/internal/offline"
)

func main() {
	// The skyform binary is also the offline provider plugin: terraform
	// starts it through the launchers offline.Install writes.
	if offline.ServeIfRequested() {
		return
	}
	os.Exit(Main())
}
