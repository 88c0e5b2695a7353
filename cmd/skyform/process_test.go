package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skyform/skyform/state"
)

// cli runs skyform (this test binary in CLI mode) in dir.
type cli struct {
	t     *testing.T
	dir   string
	env   []string
	stdin *os.File
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	dir := t.TempDir()
	bp := "blueprint: shop\nresources:\n  jobs: {kind: queue}\n  orders: {kind: queue, ordering: fifo}\n  events: {kind: queue, dead_letter: {max_deliveries: 4}}\n"
	if err := os.WriteFile(filepath.Join(dir, "skyform.yaml"), []byte(bp), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "SKYFORM_TEST_AS_CLI=1", "XDG_CACHE_HOME="+filepath.Join(dir, "cache"))
	return &cli{t: t, dir: dir, env: env}
}

func (c *cli) cmd(extraEnv []string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = c.dir
	cmd.Env = append(append([]string{}, c.env...), extraEnv...)
	return cmd
}

// run runs skyform to the end and returns its exit code and output.
func (c *cli) run(extraEnv []string, args ...string) (int, string) {
	c.t.Helper()
	var out bytes.Buffer
	cmd := c.cmd(extraEnv, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), out.String()
	}
	if err != nil {
		c.t.Fatal(err)
	}
	return 0, out.String()
}

func (c *cli) workdir() string { return filepath.Join(c.dir, ".skyform", "shop", "aws.offline") }

// startApply starts a slow offline apply and returns once terraform is
// creating a resource; wait drains its output and waits for it to exit.
func (c *cli) startApply(delay string) (cmd *exec.Cmd, wait func() (error, string)) {
	c.t.Helper()
	cmd = c.cmd([]string{"SKYFORM_OFFLINE_DELAY=" + delay}, "apply", "--offline", "--auto-approve")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		c.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	var stdout bytes.Buffer
	started := make(chan bool)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		sc := bufio.NewScanner(out)
		signalled := false
		for sc.Scan() {
			stdout.WriteString(sc.Text() + "\n")
			if !signalled && strings.Contains(sc.Text(), ": creating ") {
				signalled = true
				started <- true
			}
		}
		if !signalled {
			started <- false
		}
	}()
	wait = func() (error, string) {
		<-drained
		err := cmd.Wait()
		return err, stdout.String() + stderr.String()
	}
	if !<-started {
		_, all := wait()
		c.t.Fatalf("apply never started creating:\n%s", all)
	}
	return cmd, wait
}

// TestInterruptDuringApply sends one SIGINT to skyform while terraform
// applies: terraform gets exactly one interrupt, stops cleanly, saves its
// state, the lock is released and a re-run converges.
func TestInterruptDuringApply(t *testing.T) {
	c := newCLI(t)
	cmd, wait := c.startApply("2s")
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err, out := wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitTerraform {
		t.Fatalf("interrupted apply: %v, want exit %d\n%s", err, exitTerraform, out)
	}
	if !strings.Contains(out, "interrupted; terraform stopped cleanly and saved its state") {
		t.Errorf("the interruption is not explained:\n%s", out)
	}
	log, err := os.ReadFile(filepath.Join(c.workdir(), ".skyform-apply.log.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(log), "Interrupt received"); n != 1 {
		t.Errorf("terraform saw %d interrupts, want exactly 1:\n%s", n, log)
	}
	if strings.Contains(string(log), "Two interrupts received") {
		t.Errorf("terraform was interrupted twice")
	}
	if _, err := os.Stat(filepath.Join(c.workdir(), "terraform.tfstate")); err != nil {
		t.Errorf("no state saved: %v", err)
	}
	l, err := state.Acquire(c.workdir(), "test", 0)
	if err != nil {
		t.Fatalf("lock not released: %v", err)
	}
	l.Unlock()
	if code, out := c.run(nil, "apply", "--offline", "--auto-approve"); code != 0 {
		t.Fatalf("re-run failed (%d):\n%s", code, out)
	}
	if code, out := c.run(nil, "plan", "--offline", "--detailed-exitcode"); code != 0 {
		t.Fatalf("after the re-run, plan still has changes (%d):\n%s", code, out)
	}
}

// TestKillDuringApply SIGKILLs skyform while terraform applies: terraform
// dies with it, and the next run works.
func TestKillDuringApply(t *testing.T) {
	c := newCLI(t)
	cmd, wait := c.startApply("30s")
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	wait()
	deadline := time.Now().Add(10 * time.Second)
	for {
		pids := terraformIn(c.workdir())
		if len(pids) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("terraform (pids %v) outlived skyform", pids)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code, out := c.run(nil, "apply", "--offline", "--auto-approve"); code != 0 {
		t.Fatalf("the next run failed (%d):\n%s", code, out)
	}
	if code, out := c.run(nil, "plan", "--offline", "--detailed-exitcode"); code != 0 {
		t.Fatalf("plan after the next run has changes (%d):\n%s", code, out)
	}
}

// terraformIn lists terraform processes working in dir.
func terraformIn(dir string) []string {
	var pids []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		cwd, err := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		if err != nil || cwd != dir {
			continue
		}
		exe, _ := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if filepath.Base(exe) == "terraform" {
			pids = append(pids, e.Name())
		}
	}
	return pids
}

// TestTerraformErrorNamesResource makes the offline cloud fail one kind
// of resource: the error names the neutral resource and exits 3.
func TestTerraformErrorNamesResource(t *testing.T) {
	c := newCLI(t)
	code, out := c.run([]string{"SKYFORM_OFFLINE_FAIL=aws_sqs_queue_redrive_allow_policy"}, "apply", "--offline", "--auto-approve")
	if code != exitTerraform {
		t.Fatalf("exit %d, want %d:\n%s", code, exitTerraform, out)
	}
	if !strings.Contains(out, "skyform: terraform apply failed for events: events: Cannot apply aws_sqs_queue_redrive_allow_policy offline") {
		t.Errorf("the error does not name the neutral resource:\n%s", out)
	}
	if !strings.Contains(out, "events: FAILED creating module.events.aws_sqs_queue_redrive_allow_policy") {
		t.Errorf("progress does not show the failure:\n%s", out)
	}
}

// TestConcurrentApplies runs two applies of one blueprint at once: the
// second fails within seconds, naming the first, and the first completes.
func TestConcurrentApplies(t *testing.T) {
	c := newCLI(t)
	first, wait := c.startApply("1s")
	start := time.Now()
	code, out := c.run(nil, "apply", "--offline", "--auto-approve")
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the second apply waited %s", took)
	}
	if code != exitTerraform {
		t.Fatalf("second apply: exit %d, want %d:\n%s", code, exitTerraform, out)
	}
	want := fmt.Sprintf(`is locked by "skyform apply" (pid %d on `, first.Process.Pid)
	if !strings.Contains(out, want) {
		t.Errorf("the second apply does not name the first (%s):\n%s", want, out)
	}
	if err, out := wait(); err != nil {
		t.Fatalf("the first apply failed: %v\n%s", err, out)
	}
}
