package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

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
	var out bytes.Buffer
	// Reading ends with EIO once the command and its children closed the terminal.
	if _, err := io.Copy(&out, tty); err != nil && !errors.Is(err, syscall.EIO) {
		ts.Fatalf("ptyexec: reading the terminal: %v", err)
	}
	err = cmd.Wait()
	tty.Close()
	ts.Stdout().Write([]byte(strings.ReplaceAll(out.String(), "\r\n", "\n")))
	if err != nil && !neg {
		ts.Fatalf("ptyexec %s: %v", strings.Join(args, " "), err)
	}
	if err == nil && neg {
		ts.Fatalf("ptyexec %s: unexpected success", strings.Join(args, " "))
	}
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}
