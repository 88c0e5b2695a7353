package templates

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/skyform/skyform/internal/diag"
	"golang.org/x/mod/semver"
)

// SourceKind says where a template comes from.
type SourceKind int

// The template sources.
const (
	// Local is a directory beside the blueprint: ./templates/web@1.2.0.
	Local SourceKind = iota
	// Git is a directory of a git repository at a tag or a commit:
	// git+file:///srv/templates.git//web@v1.2.0.
	Git
	// Embedded is a starter template embedded in skyform, by bare name: queue-worker@1.0.0.
	Embedded
)

// Ref is a parsed `uses:` value.
type Ref struct {
	// Raw is the value as written; the lock file is keyed by it.
	Raw  string
	Kind SourceKind
	// Path is the local directory as written, or the starter's name.
	Path string
	// Repo is a git repository's URL (without git+) and Subdir the
	// template's directory inside it ("" for the root).
	Repo, Subdir string
	// Version is what follows the last @: a semantic version, or for git a
	// full commit id.
	Version string
}

// Commit reports whether the ref pins a git commit rather than a version.
func (r Ref) Commit() bool { return r.Kind == Git && commitRE.MatchString(r.Version) }

var commitRE = regexp.MustCompile(`^[0-9a-f]{40}$`)

// ParseRef parses a `uses:` value. The error explains the accepted forms.
func ParseRef(s string) (Ref, error) {
	r := Ref{Raw: s}
	at := strings.LastIndex(s, "@")
	if at < 0 || strings.Contains(s[at:], "/") {
		return r, errors.New("a template is used at a pinned version: NAME@1.2.0, ./DIR@1.2.0 or git+URL//DIR@v1.2.0 (or @COMMIT)")
	}
	src := s[:at]
	r.Version = s[at+1:]
	switch {
	case strings.HasPrefix(src, "git+"):
		r.Kind = Git
		r.Repo = strings.TrimPrefix(src, "git+")
		scheme := strings.Index(r.Repo, "://")
		if scheme < 0 {
			return r, fmt.Errorf("%q is not a repository URL such as git+https://host/org/repo.git//DIR", src)
		}
		if i := strings.Index(r.Repo[scheme+3:], "//"); i >= 0 {
			r.Repo, r.Subdir = r.Repo[:scheme+3+i], strings.Trim(r.Repo[scheme+3+i+2:], "/")
		}
		if r.Subdir != "" && !fs.ValidPath(r.Subdir) {
			return r, fmt.Errorf("%q is not a directory inside the repository", r.Subdir)
		}
		if !r.Commit() && !ValidVersion(r.Version) {
			return r, fmt.Errorf("%q is neither a semantic version (v1.2.0) nor a full commit id (40 hex digits)", r.Version)
		}
		return r, nil
	case strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") || strings.HasPrefix(src, "/"):
		r.Kind = Local
		r.Path = src
	case nameRE.MatchString(src):
		r.Kind = Embedded
		r.Path = src
	default:
		return r, fmt.Errorf("%q is not a template: a local directory starts with ./ or ../, a git repository with git+, and a starter is a bare name (skyform templates lists them)", src)
	}
	if !ValidVersion(r.Version) {
		return r, fmt.Errorf("%q is not a semantic version such as 1.2.0", r.Version)
	}
	return r, nil
}

// Resolved is a template found at its source.
type Resolved struct {
	Ref      Ref
	Template *Template
	// Commit is the git commit the template was read at ("" otherwise).
	Commit string
}

// Resolver finds templates. The zero value is ready: git repositories are
// cached under the user's cache directory and git is found on PATH.
type Resolver struct {
	// CacheDir keeps fetched git repositories (default: the user cache
	// directory's skyform/templates).
	CacheDir string
	// Git is the git executable (default: git on PATH).
	Git string
}

// Limits on a template directory, so that pointing uses: at a large tree
// fails at once.
const (
	maxFiles = 1000
	maxBytes = 10 << 20
)

// Resolve finds the template ref names; baseDir is the blueprint's
// directory (local paths are relative to it) and at the position of the
// uses: value, where a version that does not exist is reported.
func (r *Resolver) Resolve(ref Ref, baseDir string, at diag.Range) (*Resolved, diag.Diagnostics) {
	switch ref.Kind {
	case Local:
		dir := filepath.Join(baseDir, filepath.FromSlash(ref.Path))
		if filepath.IsAbs(ref.Path) {
			dir = filepath.Clean(ref.Path)
		}
		files, err := readDir(os.DirFS(dir))
		if err != nil {
			return nil, diag.Diagnostics{}.Errorf(at, "uses", fmt.Sprintf("cannot read template %s", ref.Path), "%v", err)
		}
		t, ds := Parse(filepath.Join(dir, FileName), files)
		return declared(ref, t, ds, at)
	case Embedded:
		if _, err := fs.Stat(starters, path.Join("starters", ref.Path, FileName)); err != nil {
			return nil, diag.Diagnostics{}.Errorf(at, "uses", fmt.Sprintf("unknown template %q", ref.Path), "%s; a local template starts with ./", strings.Replace(didYouMean(ref.Path, StarterNames()), "allowed: ", "starters: ", 1))
		}
		sub, _ := fs.Sub(starters, path.Join("starters", ref.Path))
		files, err := readDir(sub)
		if err != nil {
			return nil, diag.Diagnostics{}.Errorf(at, "uses", fmt.Sprintf("cannot read starter %s", ref.Path), "%v", err)
		}
		t, ds := Parse(StarterFile(ref.Path), files)
		return declared(ref, t, ds, at)
	}
	return r.resolveGit(ref, at)
}

// StarterFile names a starter's template.yaml in diagnostics.
func StarterFile(name string) string { return "starter:" + name + "/" + FileName }

// declared checks that a local or embedded template has the version the
// blueprint asks for: it has exactly the one its template.yaml declares.
func declared(ref Ref, t *Template, ds diag.Diagnostics, at diag.Range) (*Resolved, diag.Diagnostics) {
	if !ds.HasErrors() {
		ds = append(ds, checkVersion(ref, t, at, []string{t.Version})...)
	}
	return &Resolved{Ref: ref, Template: t}, ds
}

// checkVersion reports a version the template does not have.
func checkVersion(ref Ref, t *Template, at diag.Range, available []string) diag.Diagnostics {
	if t.Version == "" || ref.Version == "" || SameVersion(t.Version, ref.Version) {
		return nil
	}
	var ds diag.Diagnostics
	ds = ds.Errorf(at, "uses", fmt.Sprintf("template %s has no version %s", displayName(ref, t), ref.Version), "versions available: %s", strings.Join(available, ", "))
	ds[0].With(t.VersionRange, "the template declares version %s here", t.Version)
	return ds
}

func displayName(ref Ref, t *Template) string {
	if t != nil && t.Name != "" {
		return t.Name
	}
	return strings.TrimSuffix(ref.Raw, "@"+ref.Version)
}

// readDir reads every regular file of a template directory, skipping
// names that start with a dot (.git, editors' files).
func readDir(fsys fs.FS) (map[string][]byte, error) {
	files := map[string][]byte{}
	total := 0
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		total += len(data)
		files[p] = data
		if len(files) > maxFiles || total > maxBytes {
			return fmt.Errorf("the directory holds more than %d files or %d MiB; a template is a small directory", maxFiles, maxBytes>>20)
		}
		return nil
	})
	return files, err
}

//go:embed starters
var starters embed.FS

// Starter is an embedded template, as `skyform templates` lists it.
type Starter struct {
	Name        string   `json:"name"`
	Version     string   `json:"version"`
	Description string   `json:"description"`
	Parameters  []string `json:"parameters"`
	Uses        string   `json:"uses"`
}

// StarterNames lists the embedded starters by name.
func StarterNames() []string {
	ents, _ := fs.ReadDir(starters, "starters")
	var out []string
	for _, e := range ents {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// Starters parses every embedded starter. They are part of skyform, so a
// starter that does not parse is a bug: Starters returns it as an error.
func Starters() ([]Starter, error) {
	var out []Starter
	r := &Resolver{}
	for _, name := range StarterNames() {
		ref := Ref{Raw: name, Kind: Embedded, Path: name}
		res, ds := r.Resolve(ref, "", diag.Range{})
		if ds.HasErrors() {
			return nil, fmt.Errorf("starter %s: %v", name, ds.Errs()[0])
		}
		t := res.Template
		out = append(out, Starter{Name: t.Name, Version: t.Version, Description: t.Description, Parameters: t.ParamNames(), Uses: t.Name + "@" + t.Version})
	}
	return out, nil
}

// sortVersions orders semantic versions, oldest first.
func sortVersions(vs []string) {
	sort.Slice(vs, func(i, j int) bool { return semver.Compare(canonical(vs[i]), canonical(vs[j])) < 0 })
}
