package bootstrap

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/api/option"
)

// fakeGCS serves the part of the Cloud Storage JSON API that bucket
// creation and update use, keeping buckets as the JSON documents the API
// returns.
type fakeGCS struct {
	mu       sync.Mutex
	buckets  map[string]map[string]any
	projects map[string]string
	patches  int
}

func (f *fakeGCS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/storage/v1/")
	reply := func(code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(v)
	}
	notFound := func() {
		reply(404, map[string]any{"error": map[string]any{"code": 404, "message": "The specified bucket does not exist."}})
	}
	switch {
	case r.Method == http.MethodPost && path == "b":
		var b map[string]any
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
			reply(400, map[string]any{"error": map[string]any{"code": 400, "message": err.Error()}})
			return
		}
		name, _ := b["name"].(string)
		if _, ok := f.buckets[name]; ok {
			reply(409, map[string]any{"error": map[string]any{"code": 409, "message": "Your previous request to create the named bucket succeeded and you already own it."}})
			return
		}
		b["location"] = strings.ToUpper(b["location"].(string))
		f.buckets[name] = b
		f.projects[name] = r.URL.Query().Get("project")
		reply(200, b)
	case strings.HasPrefix(path, "b/") && r.Method == http.MethodGet:
		b, ok := f.buckets[strings.TrimPrefix(path, "b/")]
		if !ok {
			notFound()
			return
		}
		reply(200, b)
	case strings.HasPrefix(path, "b/") && r.Method == http.MethodPatch:
		b, ok := f.buckets[strings.TrimPrefix(path, "b/")]
		if !ok {
			notFound()
			return
		}
		var patch map[string]any
		if err := json.NewDecoder(r.Body).Decode(&patch); err != nil {
			reply(400, map[string]any{"error": map[string]any{"code": 400, "message": err.Error()}})
			return
		}
		f.patches++
		for k, v := range patch {
			if sub, ok := v.(map[string]any); ok {
				cur, _ := b[k].(map[string]any)
				if cur == nil {
					cur = map[string]any{}
				}
				for sk, sv := range sub {
					cur[sk] = sv
				}
				b[k] = cur
				continue
			}
			b[k] = v
		}
		reply(200, b)
	default:
		reply(501, map[string]any{"error": map[string]any{"code": 501, "message": r.Method + " " + r.URL.Path + " is not faked"}})
	}
}

func newFakeGCS(t *testing.T) (*fakeGCS, []option.ClientOption) {
	f := &fakeGCS{buckets: map[string]map[string]any{}, projects: map[string]string{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, []option.ClientOption{option.WithEndpoint(srv.URL + "/storage/v1/"), option.WithoutAuthentication()}
}

func TestGCSCreatesVersionedPrivateBucket(t *testing.T) {
	f, copts := newFakeGCS(t)
	ctx := context.Background()
	g, err := NewGCS(ctx, GCSOptions{Bucket: "acme-tfstate", Project: "acme-platform", Location: "europe-west1", ClientOptions: copts})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	res, err := g.Ensure(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := &Result{
		Cloud: "gcp", Backend: "gcs", URL: "gs://acme-tfstate", Created: true,
		Settings: []Setting{
			{Name: "location", Value: "EUROPE-WEST1"},
			{Name: "versioning", Value: "enabled"},
			{Name: "encryption", Value: "Google-managed keys"},
			{Name: "uniform bucket-level access", Value: "enabled"},
			{Name: "public access", Value: "prevented"},
		},
		Blueprint: map[string]string{"type": "gcs", "bucket": "acme-tfstate"},
	}
	if d := cmp.Diff(want, res); d != "" {
		t.Errorf("Ensure (-want +got):\n%s", d)
	}
	if f.projects["acme-tfstate"] != "acme-platform" {
		t.Errorf("bucket created in project %q", f.projects["acme-tfstate"])
	}
	if f.patches != 0 {
		t.Errorf("a bucket created with the right settings was patched %d times", f.patches)
	}

	// Idempotent.
	again, err := g.Ensure(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.Created || f.patches != 0 {
		t.Errorf("second Ensure: created %v, patches %d", again.Created, f.patches)
	}
}

func TestGCSFixesAnExistingBucket(t *testing.T) {
	f, copts := newFakeGCS(t)
	f.buckets["legacy-state"] = map[string]any{"name": "legacy-state", "location": "US", "versioning": map[string]any{"enabled": false}}
	ctx := context.Background()
	// No project: an existing bucket does not need one.
	g, err := NewGCS(ctx, GCSOptions{Bucket: "legacy-state", KMSKey: "projects/p/locations/us/keyRings/r/cryptoKeys/k", ClientOptions: copts})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	res, err := g.Ensure(ctx)
	if err != nil {
		t.Fatal(err)
	}
	changed := map[string]string{}
	for _, s := range res.Settings {
		if s.Changed {
			changed[s.Name] = s.Value
		}
	}
	want := map[string]string{
		"versioning":                  "enabled",
		"encryption":                  "Cloud KMS key projects/p/locations/us/keyRings/r/cryptoKeys/k",
		"uniform bucket-level access": "enabled",
		"public access":               "prevented",
	}
	if d := cmp.Diff(want, changed); d != "" {
		t.Errorf("changed settings (-want +got):\n%s", d)
	}
	if f.patches != 1 {
		t.Errorf("%d patches; want the changes in one", f.patches)
	}
}

func TestGCSNewBucketNeedsProjectAndLocation(t *testing.T) {
	_, copts := newFakeGCS(t)
	ctx := context.Background()
	g, err := NewGCS(ctx, GCSOptions{Bucket: "acme-tfstate", Location: "EU", ClientOptions: copts})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	_, err = g.Ensure(ctx)
	if me, ok := err.(*MissingError); !ok || me.Option != "--project" {
		t.Errorf("Ensure = %v; want --project missing", err)
	}
}
