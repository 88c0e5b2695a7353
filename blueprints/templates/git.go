package templates

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/skyform/skyform/internal/diag"
)

// gitTimeout bounds one git command, so that an unreachable server does
// not hang a validate.
const gitTimeout = 2 * time.Minute

// tag is a semantic-version tag of a repository.
type tag struct {
	name, version, commit string
}

func (r *Resolver) resolveGit(ref Ref, at diag.Range) (*Resolved, diag.Diagnostics) {
	var ds diag.Diagnostics
	fail := func(summary, format string, args ...any) (*Resolved, diag.Diagnostics) {
		return nil, ds.Errorf(at, "uses", summary, format, args...)
	}
	tags, err := r.tags(ref)
	if err != nil {
		return fail(fmt.Sprintf("cannot list the versions of %s", ref.Repo), "%v", err)
	}
	var versions []string
	for _, t := range tags {
		versions = append(versions, t.version)
	}
	sortVersions(versions)
	available := strings.Join(versions, ", ")
	if available == "" {
		available = "none (the repository has no tags such as v1.2.0)"
	}
	commit, want := ref.Version, ""
	if !ref.Commit() {
		commit = ""
		for _, t := range tags {
			if SameVersion(t.version, ref.Version) {
				commit, want = t.commit, t.version
				break
			}
		}
		if commit == "" {
			return fail(fmt.Sprintf("template %s has no version %s", strings.TrimSuffix(ref.Raw, "@"+ref.Version), ref.Version), "versions available: %s", available)
		}
	}
	repo, err := r.fetch(ref.Repo, commit)
	if err != nil {
		return fail(fmt.Sprintf("cannot fetch %s", ref.Raw), "%v", err)
	}
	if repo == "" {
		return fail(fmt.Sprintf("no commit %s in %s", commit, ref.Repo), "give a full commit id of the repository, or a version; versions available: %s", available)
	}
	files, err := r.archive(repo, commit, ref.Subdir)
	if err != nil {
		return fail(fmt.Sprintf("cannot read %s at %s", ref.Raw, commit[:12]), "%v", err)
	}
	file := "git+" + ref.Repo + "//" + filepath.ToSlash(filepath.Join(ref.Subdir, FileName))
	t, tds := Parse(file, files)
	ds = append(ds, tds...)
	res := &Resolved{Ref: ref, Template: t, Commit: commit}
	if want != "" && t.Version != "" && !SameVersion(t.Version, want) {
		ds = ds.Errorf(t.VersionRange, "version", fmt.Sprintf("template version %s does not match tag %s", t.Version, want), "the tag and the version in %s must agree", FileName)
	}
	return res, ds
}

// tags lists a repository's semantic-version tags with the commits they
// point to. For a template in a subdirectory, tags named DIR/v1.2.0 (the
// Go convention for several modules in one repository) are preferred to
// plain ones.
func (r *Resolver) tags(ref Ref) ([]tag, error) {
	out, err := r.run("", "ls-remote", "--tags", ref.Repo)
	if err != nil {
		return nil, err
	}
	commits := map[string]string{}
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		sha, name, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		name = strings.TrimPrefix(name, "refs/tags/")
		if peeled, ok := strings.CutSuffix(name, "^{}"); ok {
			// An annotated tag: this line is the commit it points to.
			commits[peeled] = sha
			continue
		}
		if _, seen := commits[name]; !seen {
			names = append(names, name)
			commits[name] = sha
		}
	}
	var prefixed, plain []tag
	for _, name := range names {
		v := name
		if ref.Subdir != "" {
			if rest, ok := strings.CutPrefix(name, ref.Subdir+"/"); ok {
				if ValidVersion(rest) {
					prefixed = append(prefixed, tag{name, rest, commits[name]})
				}
				continue
			}
		}
		if !strings.Contains(v, "/") && ValidVersion(v) {
			plain = append(plain, tag{name, v, commits[name]})
		}
	}
	if len(prefixed) > 0 {
		return prefixed, nil
	}
	return plain, nil
}

// fetch makes sure a cached bare copy of the repository holds commit and
// returns its directory, or "" when the repository has no such commit.
// A commit already cached is used without asking the repository again.
func (r *Resolver) fetch(url, commit string) (string, error) {
	cache := r.CacheDir
	if cache == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("no cache directory for git templates: %w", err)
		}
		cache = filepath.Join(dir, "skyform", "templates")
	}
	sum := sha256.Sum256([]byte(url))
	repo := filepath.Join(cache, "git", hex.EncodeToString(sum[:8])+".git")
	if _, err := os.Stat(filepath.Join(repo, "HEAD")); err != nil {
		if err := os.MkdirAll(filepath.Dir(repo), 0o755); err != nil {
			return "", fmt.Errorf("cannot create the template cache: %w", err)
		}
		if _, err := r.run("", "init", "--quiet", "--bare", repo); err != nil {
			return "", err
		}
	}
	has := func() bool {
		_, err := r.run(repo, "cat-file", "-e", commit+"^{commit}")
		return err == nil
	}
	if has() {
		return repo, nil
	}
	// Servers may refuse to send a commit by its id alone; then fetch
	// every branch and tag and look again.
	if _, err := r.run(repo, "fetch", "--quiet", "--no-tags", url, commit); err != nil || !has() {
		if _, err := r.run(repo, "fetch", "--quiet", "--no-tags", url, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"); err != nil {
			return "", err
		}
	}
	if !has() {
		return "", nil
	}
	return repo, nil
}

// archive reads the files of dir at commit.
func (r *Resolver) archive(repo, commit, dir string) (map[string][]byte, error) {
	tree := commit
	if dir != "" {
		tree += ":" + dir
	}
	if _, err := r.run(repo, "cat-file", "-e", tree); err != nil {
		return nil, fmt.Errorf("the repository has no directory %q at that commit", dir)
	}
	out, err := r.run(repo, "archive", "--format=tar", tree)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	total := 0
	tr := tar.NewReader(strings.NewReader(out))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("cannot read git's archive: %w", err)
		}
		if h.Typeflag != tar.TypeReg || hidden(h.Name) {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("cannot read git's archive: %w", err)
		}
		total += len(data)
		files[h.Name] = data
		if len(files) > maxFiles || total > maxBytes {
			return nil, fmt.Errorf("the directory holds more than %d files or %d MiB; a template is a small directory", maxFiles, maxBytes>>20)
		}
	}
	return files, nil
}

func hidden(p string) bool {
	for _, part := range strings.Split(p, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

// run runs git (in dir, when given, as its git directory) and returns its
// standard output; a failure carries git's own message.
func (r *Resolver) run(dir string, args ...string) (string, error) {
	git := r.Git
	if git == "" {
		git = "git"
	}
	sub := args[0]
	if dir != "" {
		args = append([]string{"--git-dir", dir}, args...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), gitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, git, args...)
	// Never wait for a password prompt; keep git's messages in English
	// so they read the same in every report.
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			msg := strings.TrimSpace(stderr.String())
			if msg == "" {
				msg = err.Error()
			}
			return "", fmt.Errorf("git %s: %s", sub, msg)
		}
		return "", fmt.Errorf("cannot run git (needed for templates from git repositories): %w", err)
	}
	return stdout.String(), nil
}
