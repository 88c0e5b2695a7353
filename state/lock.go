package state

import (
	"context"
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
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	l, h, err := acquire(ctx, filepath.Join(dir, LockName), command)
	if h != nil {
		return nil, &LockedError{Dir: dir, Holder: *h}
	}
	if err != nil {
		return nil, fmt.Errorf("cannot lock %s: %w", dir, err)
	}
	return l, nil
}

// AcquireShared takes the lock at path (an flock, like a workdir's) for
// command, waiting for as long as ctx allows: for something every run
// shares and holds only briefly, such as terraform's plugin cache, where
// waiting is always right. The error says who held it when ctx ended.
func AcquireShared(ctx context.Context, path, command string) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", filepath.Dir(path), err)
	}
	l, h, err := acquire(ctx, path, command)
	if h != nil {
		return nil, fmt.Errorf("stopped waiting for %s, held by %s: %w", path, h, ctx.Err())
	}
	if err != nil {
		return nil, fmt.Errorf("cannot lock %s: %w", path, err)
	}
	return l, nil
}

// acquire takes the flock on path, polling until ctx is done; then it
// returns who holds it.
func acquire(ctx context.Context, path, command string) (*Lock, *Holder, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open lock: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, nil, err
		}
		if ctx.Err() != nil {
			h := readHolder(path)
			f.Close()
			return nil, &h, nil
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
	host, _ := os.Hostname()
	h := Holder{PID: os.Getpid(), Host: host, User: os.Getenv("USER"), Command: command, Since: time.Now().UTC().Truncate(time.Second)}
	data, _ := json.Marshal(h)
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt(append(data, '\n'), 0)
	}
	return &Lock{f: f}, nil, nil
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
