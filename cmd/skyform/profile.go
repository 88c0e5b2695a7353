package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// addProfiling gives every command a hidden --cpuprofile FILE flag: the
// run's CPU profile, for `go tool pprof`, to see where a compile spends its
// time as a whole process (startup included).
func addProfiling(root *cobra.Command) {
	var file string
	var f *os.File
	root.PersistentFlags().StringVar(&file, "cpuprofile", "", "write a CPU profile of the run to FILE")
	_ = root.PersistentFlags().MarkHidden("cpuprofile")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if file == "" {
			return nil
		}
		var err error
		if f, err = os.Create(file); err != nil {
			return failure(exitSystem, fmt.Errorf("cannot write CPU profile: %w", err))
		}
		return pprof.StartCPUProfile(f)
	}
	cobra.OnFinalize(func() {
		if f != nil {
			pprof.StopCPUProfile()
			f.Close()
		}
	})
}
