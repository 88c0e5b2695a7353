package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/creack/pty"
	"github.com/rogpeppe/go-internal/testscript"
)

// ptyEnv are the variables of the script a command on a terminal gets.
var ptyEnv = []string{"HOME", "TMPDIR", "XDG_CACHE_HOME", "SKYFORM_TERRAFORM", "SKYFORM_OFFLINE_DELAY", "SKYFORM_OFFLINE_FAIL", "SKYFORM_PROGRESS_INTERVAL"}

// ptyexec command args... runs a command with a pseudo-terminal (100
// columns) as its standard input, output and error, the way a person runs
// it; what the terminal showed becomes the script's stdout, line ends as
// "\n" and escape sequences kept.
func cmdPtyExec(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 {
		ts.Fatalf("usage: ptyexec command [args...]")
	}
	code := runPty(ts, args, 0)
	if code != 0 && !neg {
		ts.Fatalf("ptyexec %s: exit code %d", strings.Join(args, " "), code)
	}
	if code == 0 && neg {
		ts.Fatalf("ptyexec %s: unexpected success", strings.Join(args, " "))
	}
}

// ptyexitcode N command args... runs a command on a pseudo-terminal, as
// ptyexec does, and wants exactly exit code N. Under within, a command
// still running at the limit is killed: one waiting for input on the
// terminal fails the script instead of hanging it.
func cmdPtyExitcode(ts *testscript.TestScript, neg bool, args []string) {
	ptyExitcode(ts, neg, args, 0)
}

func ptyExitcode(ts *testscript.TestScript, neg bool, args []string, limit time.Duration) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: ptyexitcode N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	if got := runPty(ts, args[1:], limit); got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// runPty runs args on a new pseudo-terminal, writes what it showed to the
// script's stdout and returns the exit code; with a limit, a command
// still running then is killed with its process group and the script
// fails.
func runPty(ts *testscript.TestScript, args []string, limit time.Duration) int {
	path := ""
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		if p := filepath.Join(dir, args[0]); isExecutable(p) {
			path = p
			break
		}
	}
	if path == "" {
		ts.Fatalf("ptyexec: %s not found on PATH", args[0])
	}
	cmd := exec.Command(path, args[1:]...)
	cmd.Dir = ts.MkAbs(".")
	cmd.Env = []string{"PATH=" + ts.Getenv("PATH"), "TERM=xterm"}
	for _, k := range ptyEnv {
		if v := ts.Getenv(k); v != "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 100, Rows: 40})
	ts.Check(err)
	var killed atomic.Bool
	if limit > 0 {
		// pty.Start makes the command a session leader: its pid is its
		// process group, terraform's own group aside.
		t := time.AfterFunc(limit, func() {
			killed.Store(true)
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			_ = cmd.Process.Kill()
		})
		defer t.Stop()
	}
	var out bytes.Buffer
	// Reading ends with EIO once the command and its children closed the terminal.
	if _, err := io.Copy(&out, tty); err != nil && !errors.Is(err, syscall.EIO) {
		ts.Fatalf("ptyexec: reading the terminal: %v", err)
	}
	err = cmd.Wait()
	tty.Close()
	ts.Stdout().Write([]byte(strings.ReplaceAll(out.String(), "\r\n", "\n")))
	if killed.Load() {
		ts.Fatalf("%s was still running after %s (waiting for input?), killed", strings.Join(args, " "), limit)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	ts.Check(err)
	return 0
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}
