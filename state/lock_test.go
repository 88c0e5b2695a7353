package state

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLockNamesItsHolder(t *testing.T) {
	dir := t.TempDir()
	l, err := Acquire(dir, "skyform apply", 0)
	if err != nil {
		t.Fatal(err)
	}
	// A second holder in another process: flock is per open file, so a
	// second Acquire in this process would conflict too, as here.
	_, err = Acquire(dir, "skyform plan", 200*time.Millisecond)
	var le *LockedError
	if !errors.As(err, &le) {
		t.Fatalf("want a LockedError, got %v", err)
	}
	if le.Holder.Command != "skyform apply" || le.Holder.PID != os.Getpid() {
		t.Errorf("holder = %+v", le.Holder)
	}
	if !strings.Contains(err.Error(), `"skyform apply" (pid`) {
		t.Errorf("message does not name the holder: %v", err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	l2, err := Acquire(dir, "skyform plan", 0)
	if err != nil {
		t.Fatalf("lock not released: %v", err)
	}
	l2.Unlock()
}

// TestLockDiesWithHolder kills a process holding the lock with SIGKILL;
// the next run must get the lock at once.
func TestLockDiesWithHolder(t *testing.T) {
	if os.Getenv("SKYFORM_LOCK_HOLDER") != "" {
		if _, err := Acquire(os.Getenv("SKYFORM_LOCK_HOLDER"), "holder", 0); err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("locked\n")
		time.Sleep(time.Minute)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockDiesWithHolder$")
	cmd.Env = append(os.Environ(), "SKYFORM_LOCK_HOLDER="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 7)
	if _, err := out.Read(buf); err != nil || string(buf) != "locked\n" {
		t.Fatalf("holder did not lock: %q %v", buf, err)
	}
	if _, err := Acquire(dir, "second", 0); err == nil {
		t.Fatal("lock held by another process was granted")
	}
	cmd.Process.Kill()
	cmd.Wait()
	l, err := Acquire(dir, "after kill", time.Second)
	if err != nil {
		t.Fatalf("lock survived its holder: %v", err)
	}
	l.Unlock()
}

func TestRecordRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if r, err := ReadRecord(dir); r != nil || err != nil {
		t.Fatalf("empty dir: %v %v", r, err)
	}
	want := &Record{Blueprint: "orders", BlueprintSHA256: "abc", Clouds: []string{"aws"}, Action: "apply", Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	if err := WriteRecord(dir, want); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(filepath.Join(dir, RecordName))
	if st.Mode().Perm() != 0o600 {
		t.Errorf("record mode %v, want 0600", st.Mode().Perm())
	}
	got, err := ReadRecord(dir)
	if err != nil || got.Blueprint != "orders" || !got.Time.Equal(want.Time) {
		t.Fatalf("got %+v, %v", got, err)
	}
}
