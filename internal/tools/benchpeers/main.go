package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// peers are the npm packages measured, pinned.
var peers = []struct{ name, version string }{
	{"cdktf-cli", "0.21.0"},
	{"cdktf", "0.21.0"},
	{"@cdktf/provider-aws", "21.22.1"},
	{"constructs", "10.4.2"},
	{"winglang", "0.85.49"},
}

var clouds = []string{"aws", "gcp", "azure"}

// timeout is the longest one run of a command may take.
var timeout = 15 * time.Minute

func main() {
	home, _ := os.UserHomeDir()
	cache := flag.String("cache", filepath.Join(home, ".cache", "skyform-bench-peers"), "where the peers are installed")
	skyform := flag.String("skyform", "bin/skyform", "the skyform binary")
	sizes := flag.String("units", "1,10,100,1000", "the numbers of units, comma-separated")
	runs := flag.Int("runs", 3, "runs of each command; the best is kept")
	keep := flag.Bool("keep", false, "keep the generated programs (their directory is printed)")
	under := flag.String("dir", ".", "directory under which the programs are generated and built, every tool's in the same place (a temporary directory can be a slower file system)")
	flag.DurationVar(&timeout, "timeout", timeout, "longest a run may take; a slower one is reported as not finished")
	flag.Parse()
	if err := run(*cache, *skyform, *sizes, *under, *runs, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "bench-peers:", err)
		os.Exit(1)
	}
}

func run(cache, skyform, sizes, under string, runs int, keep bool) error {
	sky, err := filepath.Abs(skyform)
	if err != nil {
		return err
	}
	if _, err := os.Stat(sky); err != nil {
		return fmt.Errorf("no skyform binary: %w (make bench-peers builds it)", err)
	}
	var ns []int
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("bad -units %q", sizes)
		}
		ns = append(ns, n)
	}
	if err := checkNode(); err != nil {
		return err
	}
	if err := install(cache); err != nil {
		return err
	}
	work, err := os.MkdirTemp(under, ".bench-peers-")
	if err == nil {
		work, err = filepath.Abs(work)
	}
	if err != nil {
		return err
	}
	if keep {
		fmt.Fprintln(os.Stderr, "programs in", work)
	} else {
		defer os.RemoveAll(work)
	}
	bin := filepath.Join(cache, "node_modules", ".bin")
	env := append(os.Environ(),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"CHECKPOINT_DISABLE=1", "DISABLE_VERSION_CHECK=true", "WING_DISABLE_ANALYTICS=1",
		"CI=1", "NO_COLOR=1", "FORCE_COLOR=0", "XDG_CACHE_HOME="+filepath.Join(work, "xdg"))
	host, _ := os.Hostname()
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("bench-peers on %s (%d CPUs, load average %s), %s: best of %d runs; node %s\n\n", host, runtime.NumCPU(),
		strings.Join(strings.Fields(string(load))[:min(3, len(strings.Fields(string(load))))], " "), time.Now().UTC().Format("2006-01-02 15:04 UTC"), runs, version("node", "--version"))
	var rows []row
	// An interrupt stops the run and prints what was measured so far.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		interrupted.Store(true)
		close(interruptCh)
	}()
	defer func() { printTable(os.Stdout, ns, rows) }()
	for _, n := range ns {
		if interrupted.Load() {
			break
		}
		dir := filepath.Join(work, fmt.Sprintf("units-%d", n))
		if err := generate(dir, n, cache); err != nil {
			return err
		}
		// Each tool writes into its own directory; every run starts from a clean output.
		for _, c := range clouds {
			out := filepath.Join(dir, "skyform-out-"+c)
			rows = append(rows, measure(n, "skyform compile --cloud "+c, "skyform-"+c, runs, func() *exec.Cmd {
				os.RemoveAll(out)
				cmd := exec.Command(sky, "compile", "-f", filepath.Join(dir, "skyform", "skyform.yaml"), "--cloud", c, "-o", out)
				cmd.Env = env
				return cmd
			}, func() (string, error) { return countSkyform(out) }))
		}
		cd := filepath.Join(dir, "cdktf")
		rows = append(rows, measure(n, "cdktf synth", "peer", runs, func() *exec.Cmd {
			os.RemoveAll(filepath.Join(cd, "cdktf.out"))
			cmd := exec.Command(filepath.Join(bin, "cdktf"), "synth")
			cmd.Dir, cmd.Env = cd, env
			return cmd
		}, func() (string, error) {
			return countJSON(filepath.Join(cd, "cdktf.out", "stacks", "units", "cdk.tf.json"))
		}))
		rows = append(rows, measure(n, "node main.js (CDKTF app)", "peer", runs, func() *exec.Cmd {
			os.RemoveAll(filepath.Join(cd, "plain.out"))
			cmd := exec.Command("node", "main.js")
			cmd.Dir, cmd.Env = cd, append(env, "CDKTF_OUTDIR=plain.out")
			return cmd
		}, func() (string, error) {
			return countJSON(filepath.Join(cd, "plain.out", "stacks", "units", "cdk.tf.json"))
		}))
		wd := filepath.Join(dir, "wing")
		rows = append(rows, measure(n, "wing compile -t tf-aws", "peer", runs, func() *exec.Cmd {
			os.RemoveAll(filepath.Join(wd, "target"))
			cmd := exec.Command(filepath.Join(bin, "wing"), "compile", "-t", "tf-aws", "main.w")
			cmd.Dir, cmd.Env = wd, env
			return cmd
		}, func() (string, error) { return countJSON(filepath.Join(wd, "target", "main.tfaws", "main.tf.json")) }))
	}
	return nil
}

var (
	interrupted atomic.Bool
	interruptCh = make(chan struct{})
)

// install puts the pinned peers into cache with npm, unless they are there.
func install(cache string) error {
	ok := true
	for _, p := range peers {
		data, err := os.ReadFile(filepath.Join(cache, "node_modules", p.name, "package.json"))
		var pkg struct{ Version string }
		if err != nil || json.Unmarshal(data, &pkg) != nil || pkg.Version != p.version {
			ok = false
		}
	}
	if ok {
		return nil
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return err
	}
	deps := map[string]string{}
	args := []string{"install", "--no-audit", "--no-fund", "--save-exact"}
	for _, p := range peers {
		deps[p.name] = p.version
		args = append(args, p.name+"@"+p.version)
	}
	pkg, _ := json.MarshalIndent(map[string]any{"name": "skyform-bench-peers", "private": true, "dependencies": deps}, "", "  ")
	if err := os.WriteFile(filepath.Join(cache, "package.json"), pkg, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "installing the peers into %s (npm %s)\n", cache, strings.Join(args[4:], " "))
	cmd := exec.Command("npm", args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = cache, os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install of the peers failed: %w", err)
	}
	return nil
}

// checkNode wants node and npm, node 20 or later (what the peers need).
func checkNode() error {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is not on PATH: the peers run on Node.js 20 or later (apt-get install nodejs npm)", tool)
		}
	}
	v := strings.TrimPrefix(version("node", "--version"), "v")
	if major, err := strconv.Atoi(strings.SplitN(v, ".", 2)[0]); err != nil || major < 20 {
		return fmt.Errorf("node %s is too old: the peers need Node.js 20 or later", v)
	}
	return nil
}

func version(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return "(not found)"
	}
	return strings.TrimSpace(string(out))
}

// row is one tool on one size.
type row struct {
	units  int
	tool   string
	group  string // "skyform-<cloud>" or "peer"
	wall   time.Duration
	peak   int64 // bytes
	output string
	err    error
}

// measure runs a command runs times and keeps the fastest run, whose
// output check must pass.
func measure(n int, tool, group string, runs int, mk func() *exec.Cmd, check func() (string, error)) row {
	r := row{units: n, tool: tool, group: group}
	fmt.Fprintf(os.Stderr, "%5d units: %s", n, tool)
	for i := 0; i < runs && !interrupted.Load(); i++ {
		cmd := mk()
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		wall, peak, err := timed(cmd)
		if err != nil {
			r.err = err
			if tail := lastLines(out.String(), 6); tail != "" {
				r.err = fmt.Errorf("%v: %s", err, tail)
			}
			fmt.Fprintf(os.Stderr, " FAILED: %v\n", r.err)
			return r
		}
		what, err := check()
		if err != nil {
			r.err = err
			fmt.Fprintf(os.Stderr, " FAILED: %v\n", err)
			return r
		}
		fmt.Fprintf(os.Stderr, " %s", wall.Round(time.Millisecond))
		if r.wall == 0 || wall < r.wall {
			r.wall, r.output = wall, what
		}
		if peak > r.peak {
			r.peak = peak
		}
	}
	fmt.Fprintln(os.Stderr)
	return r
}

// timed runs cmd, returning its wall time and the peak memory of its
// process tree (see doc.go).
func timed(cmd *exec.Cmd) (time.Duration, int64, error) {
	start := time.Now()
	// Its own process group, so that a run past the timeout or an
	// interrupt stops the tool and every process it started.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	var timedOut atomic.Bool
	killer := time.AfterFunc(timeout, func() {
		timedOut.Store(true)
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	})
	defer killer.Stop()
	waited := make(chan struct{})
	defer close(waited)
	go func() {
		select {
		case <-waited:
		case <-interruptCh:
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	}()
	done := make(chan struct{})
	sampled := make(chan int64)
	go func() {
		var peak int64
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			if rss := treeRSS(cmd.Process.Pid); rss > peak {
				peak = rss
			}
			select {
			case <-done:
				sampled <- peak
				return
			case <-t.C:
			}
		}
	}()
	err := cmd.Wait()
	wall := time.Since(start)
	// Whatever the tool left running in its group (a compiler's service
	// process) is ended, so that it does not run into the next measurement.
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	switch {
	case timedOut.Load():
		err = fmt.Errorf("did not finish within %s", timeout)
	case interrupted.Load():
		err = fmt.Errorf("interrupted")
	}
	close(done)
	peak := <-sampled
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss*1024 > peak {
		peak = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return wall, peak, err
}

// treeRSS sums the resident sets of pid and its descendants.
func treeRSS(pid int) int64 {
	statm, err := os.ReadFile(fmt.Sprintf("/proc/%d/statm", pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(statm))
	var total int64
	if len(f) > 1 {
		pages, _ := strconv.ParseInt(f[1], 10, 64)
		total = pages * int64(os.Getpagesize())
	}
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, t := range tasks {
		data, _ := os.ReadFile(t)
		for _, c := range strings.Fields(string(data)) {
			if cp, err := strconv.Atoi(c); err == nil {
				total += treeRSS(cp)
			}
		}
	}
	return total
}

func lastLines(s string, n int) string {
	ls := strings.Split(strings.TrimSpace(s), "\n")
	if len(ls) > n {
		ls = ls[len(ls)-n:]
	}
	return strings.Join(ls, " | ")
}

// countJSON counts the resources of a Terraform JSON file.
func countJSON(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("no output: %w", err)
	}
	var tf struct {
		Resource map[string]map[string]json.RawMessage `json:"resource"`
	}
	if err := json.Unmarshal(data, &tf); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	n := 0
	for _, byName := range tf.Resource {
		n += len(byName)
	}
	return fmt.Sprintf("%d resources", n), nil
}

// countSkyform counts the module calls skyform wrote in the root
// module's files (one per neutral resource and implicit module).
func countSkyform(dir string) (string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil || len(files) == 0 {
		return "", fmt.Errorf("no output in %s", dir)
	}
	calls := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		calls += bytes.Count(append([]byte("\n"), data...), []byte("\nmodule \""))
	}
	return fmt.Sprintf("%d module calls", calls), nil
}

// printTable writes the Markdown table: per size, skyform on each cloud,
// then each peer with its time as a multiple of skyform's on each cloud.
func printTable(w io.Writer, ns []int, rows []row) {
	fmt.Fprintln(w, "| units | command | wall | peak memory | output | peer ÷ skyform (aws / gcp / azure) |")
	fmt.Fprintln(w, "|---:|---|---:|---:|---|---|")
	for _, n := range ns {
		sky := map[string]time.Duration{}
		var fastest *row
		for i, r := range rows {
			if r.units != n || r.err != nil {
				continue
			}
			if strings.HasPrefix(r.group, "skyform-") {
				sky[strings.TrimPrefix(r.group, "skyform-")] = r.wall
			} else if fastest == nil || r.wall < fastest.wall {
				fastest = &rows[i]
			}
		}
		for _, r := range rows {
			if r.units != n {
				continue
			}
			if r.err != nil {
				fmt.Fprintf(w, "| %d | %s | failed | | %s | |\n", n, r.tool, strings.ReplaceAll(r.err.Error(), "|", "/"))
				continue
			}
			ratio := ""
			if r.group == "peer" {
				var parts []string
				for _, c := range clouds {
					parts = append(parts, ratioText(r.wall, sky[c]))
				}
				ratio = strings.Join(parts, " / ")
			}
			fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s |\n", n, r.tool, ms(r.wall), mib(r.peak), r.output, ratio)
		}
		if fastest != nil {
			var parts []string
			for _, c := range clouds {
				parts = append(parts, c+" "+ratioText(fastest.wall, sky[c]))
			}
			fmt.Fprintf(w, "| %d | **fastest peer (%s) ÷ skyform** | | | | %s |\n", n, fastest.tool, strings.Join(parts, ", "))
		}
	}
	var failed []string
	for _, r := range rows {
		if r.err != nil {
			failed = append(failed, fmt.Sprintf("%d units, %s", r.units, r.tool))
		}
	}
	sort.Strings(failed)
	if len(failed) > 0 {
		fmt.Fprintf(w, "\nFailed: %s.\n", strings.Join(failed, "; "))
	}
}

func ratioText(peer, sky time.Duration) string {
	if sky <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f×", float64(peer)/float64(sky))
}

func ms(d time.Duration) string {
	if d >= 10*time.Second {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
