package offline

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func TestInstallLayout(t *testing.T) {
	dir := t.TempDir()
	exe := "/opt/sky form/it's/skyform"
	cfg, err := install(dir, exe)
	if err != nil {
		t.Fatal(err)
	}
	if cfg != filepath.Join(dir, "terraform.rc") {
		t.Errorf("config at %s", cfg)
	}
	for _, p := range Providers {
		bin := filepath.Join(dir, "mirror", filepath.FromSlash(p.Address().String()), p.Version,
			runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-"+p.Name+"_v"+p.Version)
		st, err := os.Stat(bin)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o111 == 0 {
			t.Errorf("%s is not executable", bin)
		}
		data, _ := os.ReadFile(bin)
		want := ProviderEnv + "=" + p.Name + ` exec '/opt/sky form/it'\''s/skyform' "$@"`
		if !strings.HasPrefix(string(data), "#!/bin/sh\n") || !strings.Contains(string(data), want) {
			t.Errorf("launcher for %s:\n%s\nwant a /bin/sh script containing %s", p.Name, data, want)
		}
	}
	src, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclsyntax.ParseConfig(src, cfg, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("CLI config does not parse: %s\n%s", diags, src)
	}
	body := f.Body.(*hclsyntax.Body)
	if _, ok := body.Attributes["disable_checkpoint"]; !ok {
		t.Error("the version check is not disabled")
	}
	if len(body.Blocks) != 1 || body.Blocks[0].Type != "provider_installation" {
		t.Fatalf("want exactly one provider_installation block:\n%s", src)
	}
	inst := body.Blocks[0].Body.Blocks
	if len(inst) != 1 || inst[0].Type != "filesystem_mirror" {
		t.Fatalf("want only a filesystem_mirror (no direct, no network mirror):\n%s", src)
	}
	path, _ := inst[0].Body.Attributes["path"].Expr.Value(nil)
	if path.AsString() != filepath.Join(dir, "mirror") {
		t.Errorf("mirror path = %s", path.AsString())
	}
	include, _ := inst[0].Body.Attributes["include"].Expr.Value(nil)
	var got []string
	for _, v := range include.AsValueSlice() {
		got = append(got, v.AsString())
	}
	var want []string
	for _, p := range Providers {
		want = append(want, p.Address().String())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("include = %v, want %v", got, want)
	}
}

func TestInstallIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	if _, err := install(dir, "/bin/skyform"); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	time.Sleep(10 * time.Millisecond)
	if _, err := install(dir, "/bin/skyform"); err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, dir)
	for p, st := range before {
		if !after[p].Equal(st) {
			t.Errorf("%s was rewritten by an identical install", p)
		}
	}
	if len(after) != len(before) {
		t.Errorf("files: %d before, %d after", len(before), len(after))
	}
	// A moved executable rewrites the launchers.
	if _, err := install(dir, "/usr/bin/skyform"); err != nil {
		t.Fatal(err)
	}
	for p := range before {
		data, _ := os.ReadFile(p)
		if strings.HasPrefix(filepath.Base(p), "terraform-provider-") && !strings.Contains(string(data), "/usr/bin/skyform") {
			t.Errorf("%s still runs the old executable", p)
		}
	}
}

func snapshot(t *testing.T, dir string) map[string]time.Time {
	out := map[string]time.Time{}
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			out[p] = fi.ModTime()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestInstallConcurrently(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			exe := "/bin/a"
			if i%2 == 1 {
				exe = "/bin/b"
			}
			if _, err := install(dir, exe); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	files := snapshot(t, dir)
	for p := range files {
		if strings.HasPrefix(filepath.Base(p), ".tmp") {
			t.Errorf("temporary file left behind: %s", p)
		}
	}
	if len(files) != len(Providers)+1 {
		t.Errorf("%d files after concurrent installs, want %d", len(files), len(Providers)+1)
	}
}

func TestInstallSeparatesExecutables(t *testing.T) {
	dir := t.TempDir()
	alive := filepath.Join(t.TempDir(), "alive")
	gone := filepath.Join(t.TempDir(), "gone")
	for _, exe := range []string{alive, gone} {
		if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cfgAlive, err := installFor(dir, alive)
	if err != nil {
		t.Fatal(err)
	}
	cfgGone, err := installFor(dir, gone)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(cfgAlive) == filepath.Dir(cfgGone) {
		t.Fatalf("two executables share the mirror %s", filepath.Dir(cfgAlive))
	}
	if again, _ := installFor(dir, alive); again != cfgAlive {
		t.Errorf("the same executable moved from %s to %s", cfgAlive, again)
	}
	// Not ours: no record, so never pruned.
	foreign := filepath.Join(dir, "foreign")
	if err := os.MkdirAll(foreign, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	if _, err := installFor(dir, alive); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Dir(cfgGone)); !os.IsNotExist(err) {
		t.Errorf("the mirror of a deleted executable was kept: %v", err)
	}
	for _, keep := range []string{cfgAlive, foreign} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("%s was removed: %v", keep, err)
		}
	}
}
