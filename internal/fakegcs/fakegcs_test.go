package fakegcs

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"cloud.google.com/go/storage"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
)

// client talks to the fake as terraform's gcs backend does: through
// option.WithEndpoint (storage_custom_endpoint) with a static token.
func client(t *testing.T, s *Server) *storage.Client {
	t.Helper()
	c, err := storage.NewClient(context.Background(), option.WithEndpoint(s.Endpoint()), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func start(t *testing.T) *Server {
	t.Helper()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	s.CreateBucket("state")
	return s
}

func write(ctx context.Context, o *storage.ObjectHandle, data string) (*storage.ObjectAttrs, error) {
	w := o.NewWriter(ctx)
	if _, err := io.WriteString(w, data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return w.Attrs(), nil
}

func status(err error) int {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Code
	}
	return 0
}

// TestLockFile plays terraform's gcs lock: create the lock file only if
// it does not exist, read it back, delete it by its generation.
func TestLockFile(t *testing.T) {
	ctx := context.Background()
	s := start(t)
	c := client(t, s)
	lock := c.Bucket("state").Object("app/default.tflock")

	attrs, err := write(ctx, lock.If(storage.Conditions{DoesNotExist: true}), `{"ID":"a"}`)
	if err != nil {
		t.Fatalf("first lock: %v", err)
	}
	if _, err := write(ctx, lock.If(storage.Conditions{DoesNotExist: true}), `{"ID":"b"}`); status(err) != http.StatusPreconditionFailed {
		t.Fatalf("second lock: got %v, want 412", err)
	}
	r, err := lock.NewReader(ctx)
	if err != nil {
		t.Fatalf("reading the lock: %v", err)
	}
	got, _ := io.ReadAll(r)
	r.Close()
	if string(got) != `{"ID":"a"}` {
		t.Fatalf("lock holds %q, want the first run's", got)
	}
	if err := lock.If(storage.Conditions{GenerationMatch: attrs.Generation + 1}).Delete(ctx); status(err) != http.StatusPreconditionFailed {
		t.Fatalf("delete by another generation: got %v, want 412", err)
	}
	if _, ok := s.Object("state", "app/default.tflock"); !ok {
		t.Fatal("a delete whose precondition failed removed the lock")
	}
	if err := lock.If(storage.Conditions{GenerationMatch: attrs.Generation}).Delete(ctx); err != nil {
		t.Fatalf("delete by its generation: %v", err)
	}
	if _, ok := s.Object("state", "app/default.tflock"); ok {
		t.Fatal("the lock is still there")
	}
	if _, err := write(ctx, lock.If(storage.Conditions{DoesNotExist: true}), `{"ID":"c"}`); err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
}

// TestHoldUnlocks keeps a lock file until released.
func TestHoldUnlocks(t *testing.T) {
	ctx := context.Background()
	s := start(t)
	c := client(t, s)
	lock := c.Bucket("state").Object("app/default.tflock")
	if _, err := write(ctx, lock, "{}"); err != nil {
		t.Fatal(err)
	}
	release := s.HoldUnlocks()
	done := make(chan error, 1)
	go func() { done <- lock.Delete(ctx) }()
	select {
	case err := <-done:
		t.Fatalf("delete returned while held: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	if _, ok := s.Object("state", "app/default.tflock"); !ok {
		t.Fatal("held lock is gone")
	}
	release()
	release()
	if err := <-done; err != nil {
		t.Fatalf("delete after release: %v", err)
	}
	if _, ok := s.Object("state", "app/default.tflock"); ok {
		t.Fatal("released lock is still there")
	}
}
