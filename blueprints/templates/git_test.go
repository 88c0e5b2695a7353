package templates

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skyform/skyform/internal/diag"
)

// gitRepo is a bare repository in a temporary directory and a work tree
// that pushes to it: no network anywhere.
type gitRepo struct {
	t          *testing.T
	bare, work string
	commits    int
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("git is needed for templates from git repositories: %v", err)
	}
	dir := t.TempDir()
	g := &gitRepo{t: t, bare: filepath.Join(dir, "templates.git"), work: filepath.Join(dir, "work")}
	g.git("", "init", "--quiet", "--bare", g.bare)
	g.git("", "init", "--quiet", g.work)
	return g
}

func (g *gitRepo) git(dir string, args ...string) string {
	g.t.Helper()
	if dir != "" {
		args = append([]string{"-C", dir}, args...)
	}
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "init.defaultBranch=main", "-c", "tag.gpgSign=false", "-c", "commit.gpgSign=false"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		g.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit writes the template at version into dir, commits, and tags it.
func (g *gitRepo) commit(dir, version, tag string, annotated bool) string {
	g.t.Helper()
	g.commits++
	src := strings.Replace(webTemplate, "version: 1.2.0", "version: "+version, 1) + fmt.Sprintf("# commit %d\n", g.commits)
	p := filepath.Join(g.work, dir, FileName)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		g.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		g.t.Fatal(err)
	}
	g.git(g.work, "add", "-A")
	g.git(g.work, "commit", "--quiet", "-m", "web "+version)
	if tag != "" {
		if annotated {
			g.git(g.work, "tag", "-a", "-m", tag, tag)
		} else {
			g.git(g.work, "tag", tag)
		}
	}
	g.git(g.work, "push", "--quiet", "--force", "--tags", g.bare, "HEAD:refs/heads/main")
	return g.git(g.work, "rev-parse", "HEAD")
}

func TestGit(t *testing.T) {
	g := newGitRepo(t)
	c1 := g.commit("web", "1.0.0", "v1.0.0", false)
	c2 := g.commit("web", "1.1.0", "v1.1.0", true)
	g.commit("web", "1.2.0", "", false)
	r := &Resolver{CacheDir: t.TempDir()}
	at := diag.Range{File: "skyform.yaml", Start: diag.Pos{Line: 2, Column: 7}}
	url := "git+file://" + g.bare + "//web"

	for name, tc := range map[string]struct {
		uses, version, commit string
	}{
		"tag":       {url + "@v1.0.0", "1.0.0", c1},
		"annotated": {url + "@1.1.0", "1.1.0", c2},
		"commit":    {url + "@" + c1, "1.0.0", c1},
	} {
		t.Run(name, func(t *testing.T) {
			ref, err := ParseRef(tc.uses)
			if err != nil {
				t.Fatal(err)
			}
			res, ds := r.Resolve(ref, "", at)
			if ds.HasErrors() {
				t.Fatalf("Resolve: %v", ds)
			}
			if res.Template.Version != tc.version || res.Commit != tc.commit {
				t.Errorf("got version %s at %s, want %s at %s", res.Template.Version, res.Commit, tc.version, tc.commit)
			}
			if res.Template.File != "git+file://"+g.bare+"//web/template.yaml" {
				t.Errorf("file = %s", res.Template.File)
			}
		})
	}

	ref, _ := ParseRef(url + "@v1.3.0")
	_, ds := r.Resolve(ref, "", at)
	want := "skyform.yaml:2:7: error: template git+file://" + g.bare + "//web has no version v1.3.0; versions available: v1.0.0, v1.1.0"
	if len(ds) != 1 || ds[0].Error() != want {
		t.Errorf("a version that does not exist:\n got %v\nwant %s", ds, want)
	}

	ref, _ = ParseRef("git+file://" + g.bare + "//api@v1.0.0")
	if _, ds := r.Resolve(ref, "", at); len(ds) != 1 || !strings.Contains(ds[0].Error(), `the repository has no directory "api" at that commit`) {
		t.Errorf("a directory that does not exist: %v", ds)
	}

	ref, _ = ParseRef(url + "@" + strings.Repeat("0", 40))
	if _, ds := r.Resolve(ref, "", at); len(ds) != 1 || !strings.Contains(ds[0].Summary, "no commit 0000") {
		t.Errorf("a commit that does not exist: %v", ds)
	}

	// A tag moved to other content keeps its name but not its hash.
	ref, _ = ParseRef(url + "@v1.0.0")
	before, _ := r.Resolve(ref, "", at)
	g.git(g.work, "tag", "-d", "v1.0.0")
	g.commit("web", "1.0.0", "v1.0.0", false)
	after, ds := r.Resolve(ref, "", at)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	if before.Commit == after.Commit || before.Template.Hash == after.Template.Hash {
		t.Errorf("a moved tag resolves to its new commit and content")
	}
	l := &Lock{File: "skyform.lock"}
	l.Set(before.Entry())
	if ds := l.Verify(after, at); len(ds) != 1 || !strings.Contains(ds[0].Detail, "it was commit "+before.Commit) {
		t.Errorf("the lock refuses the moved tag: %v", ds)
	}
}

// TestGitSubdirTags prefers DIR/vX tags for a template in DIR.
func TestGitSubdirTags(t *testing.T) {
	g := newGitRepo(t)
	g.commit("web", "2.0.0", "v2.0.0", false)
	c := g.commit("web", "1.0.0", "web/v1.0.0", false)
	r := &Resolver{CacheDir: t.TempDir()}
	ref, _ := ParseRef("git+file://" + g.bare + "//web@v1.0.0")
	res, ds := r.Resolve(ref, "", diag.Range{})
	if ds.HasErrors() || res.Commit != c {
		t.Errorf("web/v1.0.0: %v %+v", ds, res)
	}
}
