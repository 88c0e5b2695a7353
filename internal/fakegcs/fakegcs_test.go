package fakegcs

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/storage"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
)

// client talks to the fake as terraform's gcs backend does: through
// option.WithEndpoint (storage_custom_endpoint), with the fake's service
// account key, whose token endpoint is the fake's.
func client(t *testing.T, s *Server) *storage.Client {
	t.Helper()
	c, err := storage.NewClient(context.Background(), option.WithEndpoint(s.Endpoint()), option.WithCredentialsJSON(s.ServiceAccountKey()))
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

// TestCredentials: a request needs a token the fake knows.
func TestCredentials(t *testing.T) {
	s := start(t)
	for name, auth := range map[string]string{"none": "", "unknown token": "Bearer ya29.unknown", "static token": "Bearer " + s.Token} {
		req, _ := http.NewRequest(http.MethodGet, s.Endpoint()+"b/state", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := http.StatusUnauthorized
		if name == "static token" {
			want = http.StatusOK
		}
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", name, resp.StatusCode, want)
		}
	}
	// A JWT grant signed by another key gets no token.
	other, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	c, err := storage.NewClient(context.Background(), option.WithEndpoint(s.Endpoint()),
		option.WithCredentialsJSON([]byte(strings.Replace(string(other.ServiceAccountKey()), other.URL, s.URL, 1))))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Bucket("state").Attrs(context.Background()); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Errorf("a key the fake did not make: got %v, want invalid_grant", err)
	}
}

// TestBuckets: bucket documents are kept as created and patched.
func TestBuckets(t *testing.T) {
	ctx := context.Background()
	s := start(t)
	c := client(t, s)
	b := c.Bucket("new-state")
	if err := b.Create(ctx, "acme", &storage.BucketAttrs{Location: "europe-west1", VersioningEnabled: true}); err != nil {
		t.Fatal(err)
	}
	if err := b.Create(ctx, "acme", nil); status(err) != http.StatusConflict {
		t.Errorf("second create: %v, want 409", err)
	}
	attrs, err := b.Update(ctx, storage.BucketAttrsToUpdate{UniformBucketLevelAccess: &storage.UniformBucketLevelAccess{Enabled: true}, PublicAccessPrevention: storage.PublicAccessPreventionEnforced})
	if err != nil {
		t.Fatal(err)
	}
	if attrs.Location != "EUROPE-WEST1" || !attrs.VersioningEnabled || !attrs.UniformBucketLevelAccess.Enabled || attrs.PublicAccessPrevention != storage.PublicAccessPreventionEnforced {
		t.Errorf("after the patch: location %q, versioning %v, uniform %v, public access %v", attrs.Location, attrs.VersioningEnabled, attrs.UniformBucketLevelAccess.Enabled, attrs.PublicAccessPrevention)
	}
	if s.Project("new-state") != "acme" {
		t.Errorf("project %q", s.Project("new-state"))
	}
	if _, err := write(ctx, b.Object("a"), "x"); err != nil {
		t.Fatalf("writing into the new bucket: %v", err)
	}
	if _, err := c.Bucket("missing").Attrs(ctx); !errors.Is(err, storage.ErrBucketNotExist) {
		t.Errorf("a missing bucket: %v", err)
	}
}
