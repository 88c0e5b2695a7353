package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// LockName is the lock file in a workdir.
const LockName = ".skyform.lock"

// Holder says who holds a workdir's lock.
type Holder struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	User    string    `json:"user,omitempty"`
	Command string    `json:"command"`
	Since   time.Time `json:"since"`
}

func (h Holder) String() string {
	return fmt.Sprintf("%q (pid %d on %s, since %s)", h.Command, h.PID, h.Host, h.Since.Format(time.RFC3339))
}

// LockedError is returned when another process holds the lock.
type LockedError struct {
	Dir    string
	Holder Holder
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("%s is locked by %s; wait for it to finish", e.Dir, e.Holder)
}

// Lock is a held workdir lock; Unlock releases it.
type Lock struct {
	f *os.File
}

// Acquire takes the workdir's lock for command, waiting up to wait for a
// holder to finish. The lock is an flock(2) on a file, so the kernel
// releases it when the holder dies, even by SIGKILL: a crashed run never
// leaves a stale lock behind.
func Acquire(dir, command string, wait time.Duration) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create workdir: %w", err)
	}
	path := filepath.Join(dir, LockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot open lock: %w", err)
	}
	deadline := time.Now().Add(wait)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", dir, err)
		}
		if time.Now().After(deadline) {
			h := readHolder(path)
			f.Close()
			return nil, &LockedError{Dir: dir, Holder: h}
		}
		time.Sleep(100 * time.Millisecond)
	}
	host, _ := os.Hostname()
	h := Holder{PID: os.Getpid(), Host: host, User: os.Getenv("USER"), Command: command, Since: time.Now().UTC().Truncate(time.Second)}
	data, _ := json.Marshal(h)
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt(append(data, '\n'), 0)
	}
	return &Lock{f: f}, nil
}

func readHolder(path string) Holder {
	var h Holder
	if data, err := os.ReadFile(path); err == nil {
		_ = json.Unmarshal(data, &h)
	}
	if h.Command == "" {
		h.Command = "another skyform"
	}
	return h
}

// Unlock releases the lock. The file stays (removing it would race with a
// waiter that already opened it).
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = l.f.Truncate(0)
	err := syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
