package tfrun

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func fakeTerraform(t *testing.T, ver string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "terraform")
	script := "#!/bin/sh\necho '{\"terraform_version\":\"" + ver + "\"}'\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEnsure(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		reason   string
		explicit string
		env      string
		wantVer  string
		wantErr  string
	}{
		"explicit": {reason: "--terraform wins", explicit: fakeTerraform(t, "1.11.4"), env: fakeTerraform(t, "1.6.0"), wantVer: "1.11.4"},
		"env":      {reason: "SKYFORM_TERRAFORM next", env: fakeTerraform(t, "1.6.0"), wantVer: "1.6.0"},
		"too old":  {reason: "a terraform older than the root modules need is refused", explicit: fakeTerraform(t, "1.2.9"), wantErr: "terraform 1.2.9 at "},
		"broken":   {reason: "a binary that does not say its version is refused", explicit: "/bin/false", wantErr: "cannot run terraform at /bin/false"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Setenv("SKYFORM_TERRAFORM", tc.env)
			_, ver, err := Ensure(ctx, tc.explicit, t.TempDir())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("%s: err = %v, want %q", tc.reason, err, tc.wantErr)
				}
				return
			}
			if err != nil || ver != tc.wantVer {
				t.Fatalf("%s: got %q, %v; want %q", tc.reason, ver, err, tc.wantVer)
			}
		})
	}
}

// TestEnsureInstallsWhenMissing: with no terraform anywhere, Ensure asks
// hc-install for the pinned release; a releases site that cannot serve it
// gives a clear error, and a binary already in the cache is reused.
func TestEnsureInstallsWhenMissing(t *testing.T) {
	var asked []string
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Path)
		http.NotFound(w, r)
	}))
	defer site.Close()
	releasesURL, defaultTerraform = site.URL, filepath.Join(t.TempDir(), "none")
	defer func() { releasesURL, defaultTerraform = "", DefaultTerraform }()
	t.Setenv("SKYFORM_TERRAFORM", "")
	t.Setenv("PATH", t.TempDir())

	cache := t.TempDir()
	_, _, err := Ensure(context.Background(), "", cache)
	if !errors.Is(err, ErrNoTerraform) || !strings.Contains(err.Error(), "installing terraform "+PinnedVersion) {
		t.Fatalf("err = %v", err)
	}
	if len(asked) == 0 || !strings.Contains(asked[0], "/terraform/"+PinnedVersion) {
		t.Errorf("hc-install did not ask for terraform %s: %v", PinnedVersion, asked)
	}

	// A pinned build already installed in the cache is used as it is.
	bin := filepath.Join(cache, "terraform", PinnedVersion, "terraform")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, []byte("#!/bin/sh\necho '{\"terraform_version\":\""+PinnedVersion+"\"}'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	path, ver, err := Ensure(context.Background(), "", cache)
	if err != nil || path != bin || ver != PinnedVersion {
		t.Fatalf("got %q %q %v; want the cached %s", path, ver, err, bin)
	}
}
