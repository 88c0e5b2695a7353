package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// sample is one run of the CLI.
type sample struct {
	wall, cpu time.Duration
	maxRSS    int64 // bytes
	stdout    []byte
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("compilebench", flag.ContinueOnError)
	fl.SetOutput(stderr)
	bin := fl.String("skyform", "", "skyform binary (default: build ./cmd/skyform)")
	unitsFlag := fl.String("units", "10,100,1000,10000", "comma-separated numbers of units (a queue and the function consuming it)")
	cloudsFlag := fl.String("clouds", "aws,gcp,azure", "comma-separated clouds")
	runs := fl.Int("runs", 3, "first compiles per cloud and size, and one-line changes; the fastest is shown")
	under := fl.String("dir", ".", "directory under which the blueprints are generated and compiled, as a project's compile writes beside its blueprint; a temporary directory can be a slower file system (on some machines creating a file in /tmp costs 20 times more than elsewhere on the same disk)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	var units []int
	for _, s := range strings.Split(*unitsFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(stderr, "compilebench: bad -units %q\n", s)
			return 2
		}
		units = append(units, n)
	}
	work, err := os.MkdirTemp(*under, ".compilebench-")
	if err == nil {
		work, err = filepath.Abs(work)
	}
	if err != nil {
		fmt.Fprintln(stderr, "compilebench:", err)
		return 1
	}
	defer os.RemoveAll(work)
	if *bin == "" {
		*bin = filepath.Join(work, "skyform")
		build := exec.Command("go", "build", "-o", *bin, "./cmd/skyform")
		build.Stdout, build.Stderr = stderr, stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(stderr, "compilebench: cannot build skyform:", err)
			return 1
		}
	}
	if err := bench(stdout, *bin, work, units, strings.Split(*cloudsFlag, ","), *runs); err != nil {
		fmt.Fprintln(stderr, "compilebench:", err)
		return 1
	}
	return 0
}

func bench(w io.Writer, bin, work string, units []int, clouds []string, runs int) error {
	help := time.Duration(1<<63 - 1)
	for range 5 {
		s, err := exec1(bin, work, "--help")
		if err != nil {
			return err
		}
		help = min(help, s.wall)
	}
	fmt.Fprintf(w, "compiled under %s\n", filepath.Dir(work))
	fmt.Fprintf(w, "skyform --help (process startup): %s\n\n", ms(help))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "units\tcloud\twall\tcpu\tpeak RSS\tfiles\tbytes written\twith --json\tone-line change: wall\trewritten\tbytes\t")
	for _, n := range units {
		dir := filepath.Join(work, fmt.Sprintf("units-%d", n))
		file, err := writeBlueprint(dir, n, "")
		if err != nil {
			return err
		}
		for _, cloud := range clouds {
			out := filepath.Join(dir, "out-"+cloud)
			// The compile as a person runs it (warnings on stderr), and
			// as CI reads it (--json: the report on stdout lists every
			// warning, 40,000 of them for 10,000 units on Azure).
			compile := []string{"compile", "-f", file, "--cloud", cloud, "-o", out}
			var best, asJSON sample
			var peak int64
			for i := range runs {
				for _, json := range []bool{false, true} {
					if err := os.RemoveAll(out); err != nil {
						return err
					}
					args := compile
					if json {
						args = append(args[:len(args):len(args)], "--json")
					}
					s, err := exec1(bin, dir, args...)
					if err != nil {
						return err
					}
					if json && (i == 0 || s.wall < asJSON.wall) {
						asJSON = s
					}
					if !json && (i == 0 || s.wall < best.wall) {
						best = s
					}
					peak = max(peak, s.maxRSS)
				}
			}
			files, size, err := du(out)
			if err != nil {
				return err
			}
			// One queue's setting changed, compiled over the previous
			// output; the blueprint is put back and compiled again before
			// the next change.
			var inc sample
			var rewritten int
			var incBytes int64
			for i := range runs {
				if _, err := writeBlueprint(dir, n, "visibility_timeout: 2m"); err != nil {
					return err
				}
				before, err := listFiles(out)
				if err != nil {
					return err
				}
				s, err := exec1(bin, dir, compile...)
				if err != nil {
					return err
				}
				if i == 0 || s.wall < inc.wall {
					inc = s
					if rewritten, incBytes, err = written(before, out); err != nil {
						return err
					}
				}
				peak = max(peak, s.maxRSS)
				if _, err := writeBlueprint(dir, n, ""); err != nil {
					return err
				}
				if _, err := exec1(bin, dir, compile...); err != nil {
					return err
				}
			}

			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%.0f MB\t%d\t%s\t%s\t%s\t%d\t%s\t\n", n, cloud, ms(best.wall), ms(best.cpu), float64(peak)/(1<<20), files, kb(size), ms(asJSON.wall), ms(inc.wall), rewritten, kb(incBytes))
		}
	}
	return tw.Flush()
}

// writeBlueprint writes dir/skyform.yaml with n queues, each consumed by a
// function built from dir/fn; extra, when set, is added to the first queue.
func writeBlueprint(dir string, n int, extra string) (string, error) {
	if err := os.MkdirAll(filepath.Join(dir, "fn"), 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "fn", "main.py"), []byte("def handler(event, context):\n    return len(event)\n"), 0o644); err != nil {
		return "", err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "blueprint: bench\nregion: europe-west\nlabels: {team: bench}\nresources:\n")
	for i := range n {
		q := ""
		if i == 0 && extra != "" {
			q = ", " + extra
		}
		fmt.Fprintf(&b, "  jobs-%d: {kind: queue%s}\n", i, q)
		fmt.Fprintf(&b, "  worker-%d: {kind: function, runtime: python3.12, source: fn, triggers: [{queue: jobs-%d}]}\n", i, i)
	}
	file := filepath.Join(dir, "skyform.yaml")
	return file, os.WriteFile(file, b.Bytes(), 0o644)
}

// exec1 runs the CLI once and measures it; warnings on stderr are part of
// the work (rendered), so stderr is read, not discarded by the shell.
func exec1(bin, dir string, args ...string) (sample, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, io.Discard
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("skyform %s: %w", strings.Join(args, " "), err)
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	s := sample{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), stdout: out.Bytes()}
	if ru != nil {
		s.maxRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return s, nil
}

// file is what the benchmark reads of a file it finds under an output:
// its inode (skyform writes a changed file to a new one and renames it into
// place) and its size.
type file struct {
	ino  uint64
	size int64
}

// listFiles lists every file under dir.
func listFiles(dir string) (map[string]file, error) {
	out := map[string]file{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		st, err := d.Info()
		if err != nil {
			return err
		}
		f := file{size: st.Size()}
		if sys, ok := st.Sys().(*syscall.Stat_t); ok {
			f.ino = sys.Ino
		}
		out[p] = f
		return nil
	})
	return out, err
}

// du counts the files under dir and their size.
func du(dir string) (int, int64, error) {
	all, err := listFiles(dir)
	var size int64
	for _, f := range all {
		size += f.size
	}
	return len(all), size, err
}

// written counts the files under dir created or replaced since before
// (the generated files' manifest aside), and their size.
func written(before map[string]file, dir string) (int, int64, error) {
	after, err := listFiles(dir)
	if err != nil {
		return 0, 0, err
	}
	var n int
	var size int64
	for p, f := range after {
		if old, ok := before[p]; (ok && old.ino == f.ino) || filepath.Base(p) == ".skyform-generated" {
			continue
		}
		n++
		size += f.size
	}
	return n, size, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func kb(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.2f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f kB", float64(n)/1024)
}
