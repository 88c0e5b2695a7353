package templates

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/skyform/skyform/internal/diag"
	"gopkg.in/yaml.v3"
)

// LockEntry records one template as it was resolved when locked.
type LockEntry struct {
	// Uses is the blueprint's uses: value, exactly as written.
	Uses    string `yaml:"uses" json:"uses"`
	Name    string `yaml:"template" json:"template"`
	Version string `yaml:"version" json:"version"`
	// Commit is the git commit the template was read at (git only).
	Commit string `yaml:"commit,omitempty" json:"commit,omitempty"`
	// Hash is the template directory's content hash (see Hash).
	Hash string `yaml:"hash" json:"hash"`
	// Range is where the entry is written in the lock file.
	Range diag.Range `yaml:"-" json:"-"`
}

// Lock is a blueprint's lock file: skyform.lock beside skyform.yaml.
type Lock struct {
	File    string
	Source  []byte
	Entries []LockEntry
}

// LockPath is the lock file of a blueprint: the blueprint's file name with
// .lock instead of its extension, in the same directory.
func LockPath(blueprint string) string {
	base := filepath.Base(blueprint)
	return filepath.Join(filepath.Dir(blueprint), strings.TrimSuffix(base, filepath.Ext(base))+".lock")
}

// ReadLock reads a lock file; a missing one is an empty lock. A malformed
// lock file is a diagnostic; the error is for a file that cannot be read.
func ReadLock(path string) (*Lock, diag.Diagnostics, error) {
	l := &Lock{File: path}
	src, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read the lock file: %w", err)
	}
	l.Source = src
	var ds diag.Diagnostics
	bad := func(n *yaml.Node, format string, args ...any) {
		r := diag.Range{File: path, Start: diag.Pos{Line: 1, Column: 1}}
		if n != nil {
			r.Start = diag.Pos{Line: n.Line, Column: n.Column}
		}
		ds = ds.Errorf(r, "", "malformed lock file", format+"; remove it and run skyform templates lock", args...)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		bad(nil, "%v", err)
		return l, ds, nil
	}
	if len(doc.Content) == 0 {
		return l, nil, nil
	}
	root := doc.Content[0]
	var list *yaml.Node
	for i := 0; root.Kind == yaml.MappingNode && i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "templates" {
			list = root.Content[i+1]
		}
	}
	if list == nil || list.Kind != yaml.SequenceNode {
		bad(root, "it holds a list under templates:")
		return l, ds, nil
	}
	for _, n := range list.Content {
		var e LockEntry
		if err := n.Decode(&e); err != nil || e.Uses == "" || e.Hash == "" {
			bad(n, "each entry has uses, template, version and hash")
			continue
		}
		e.Range = diag.Range{File: path, Start: diag.Pos{Line: n.Line, Column: n.Column}}
		l.Entries = append(l.Entries, e)
	}
	return l, ds, nil
}

// Find returns the entry for a uses: value, or nil.
func (l *Lock) Find(uses string) *LockEntry {
	for i := range l.Entries {
		if l.Entries[i].Uses == uses {
			return &l.Entries[i]
		}
	}
	return nil
}

// Entry is what the lock records for a resolved template.
func (r *Resolved) Entry() LockEntry {
	return LockEntry{Uses: r.Ref.Raw, Name: r.Template.Name, Version: r.Template.Version, Commit: r.Commit, Hash: r.Template.Hash}
}

// Verify compares a resolved template with the lock. at is the uses:
// value in the blueprint.
func (l *Lock) Verify(r *Resolved, at diag.Range) diag.Diagnostics {
	var ds diag.Diagnostics
	e := l.Find(r.Ref.Raw)
	if e == nil {
		return ds.Errorf(at, "uses", fmt.Sprintf("template %s is not locked", r.Ref.Raw), "run skyform templates lock to record its commit and content hash in %s, then commit that file", l.File)
	}
	now := r.Entry()
	if e.Hash == now.Hash && e.Commit == now.Commit {
		return nil
	}
	was, is := e.Hash, now.Hash
	if e.Commit != now.Commit {
		was, is = fmt.Sprintf("commit %s (%s)", e.Commit, e.Hash), fmt.Sprintf("commit %s (%s)", now.Commit, now.Hash)
	}
	ds = ds.Errorf(at, "uses", fmt.Sprintf("template %s changed since it was locked", r.Ref.Raw), "it was %s and is now %s; review the change, then run skyform templates lock --update", was, is)
	ds[0].With(e.Range, "locked here")
	return ds
}

// Set records an entry, replacing the one with the same uses: value.
func (l *Lock) Set(e LockEntry) {
	e.Range = diag.Range{}
	for i := range l.Entries {
		if l.Entries[i].Uses == e.Uses {
			l.Entries[i] = e
			return
		}
	}
	l.Entries = append(l.Entries, e)
}

// Keep drops every entry whose uses: value is not in uses.
func (l *Lock) Keep(uses ...string) {
	var out []LockEntry
	for _, e := range l.Entries {
		for _, u := range uses {
			if e.Uses == u {
				out = append(out, e)
				break
			}
		}
	}
	l.Entries = out
}

const lockHeader = `# The templates this blueprint uses, as "skyform templates lock" resolved them.
# Commit this file: a template whose content changes under the same version is
# refused until "skyform templates lock --update" records it again.
`

// Marshal renders the lock file; entries are sorted, the bytes stable.
func (l *Lock) Marshal() ([]byte, error) {
	es := append([]LockEntry(nil), l.Entries...)
	sort.Slice(es, func(i, j int) bool { return es[i].Uses < es[j].Uses })
	var b bytes.Buffer
	b.WriteString(lockHeader)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(map[string][]LockEntry{"templates": es}); err != nil {
		return nil, fmt.Errorf("cannot encode the lock file: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("cannot encode the lock file: %w", err)
	}
	return b.Bytes(), nil
}
