package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/blueprints/templates"
	"github.com/skyform/skyform/internal/diag"
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

func newTemplatesCmd(stdout, stderr io.Writer) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "templates",
		Short: "List the starter templates built into skyform; lock a blueprint's template",
		Long: `List the starter templates built into skyform, with their versions and
parameters. A blueprint uses one with uses: NAME@VERSION, and skyform new
--template NAME writes a blueprint from one.

Templates also come from local directories (uses: ./templates/web@1.2.0) and
git repositories (uses: git+https://host/org/repo.git//web@v1.2.0); see
docs/templates.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			list, err := templates.Starters()
			if err != nil {
				return failure(exitSystem, err)
			}
			if asJSON {
				writeJSON(stdout, map[string]any{"templates": list})
				return nil
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "TEMPLATE\tVERSION\tDESCRIPTION")
			for _, s := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, s.Version, s.Description)
			}
			tw.Flush()
			fmt.Fprintln(stdout, "\nUse one with: skyform new --template NAME --set name=VALUE -o DIR")
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print machine-readable JSON on stdout")
	cmd.AddCommand(newTemplatesLockCmd(stdout, stderr))
	return cmd
}

// lockArgs are the flags of skyform templates lock.
type lockArgs struct {
	blueprintArgs
	Update bool
}

// lockReport is what templates lock produces.
type lockReport struct {
	Lock        string                `json:"lock,omitempty"`
	Templates   []templates.LockEntry `json:"templates"`
	Changed     bool                  `json:"changed"`
	Diagnostics diag.Diagnostics      `json:"diagnostics"`
	sources     diag.Sources
}

func newTemplatesLockCmd(stdout, stderr io.Writer) *cobra.Command {
	var a lockArgs
	cmd := &cobra.Command{
		Use:   "lock [-f FILE] [--update]",
		Short: "Record the commit and content hash of the blueprint's template in its lock file",
		Long: `Resolve the template the blueprint uses and record its version, git commit
and content hash in the lock file beside it (skyform.lock for skyform.yaml).
Every other command refuses a template that is not locked, or whose content
changed under the same version.

An entry already in the lock file is never changed without --update: run
it after reviewing what changed in the template. Nothing is written when the
blueprint has errors.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := runLock(&a)
			if rep == nil {
				return err
			}
			if rep.Diagnostics == nil {
				rep.Diagnostics = diag.Diagnostics{}
			}
			if err := showReport(stdout, stderr, a.JSON, rep, rep.Diagnostics, rep.sources); err != nil {
				return err
			}
			if !a.JSON {
				for _, e := range rep.Templates {
					verb := "Locked"
					if !rep.Changed {
						verb = "Already locked:"
					}
					commit := ""
					if e.Commit != "" {
						commit = " at commit " + e.Commit[:12]
					}
					fmt.Fprintf(stdout, "%s %s (%s %s%s, %s) in %s.\n", verb, e.Uses, e.Name, e.Version, commit, e.Hash, rep.Lock)
				}
			}
			return nil
		},
	}
	a.register(cmd, "")
	cmd.Flags().MarkHidden("cloud")
	cmd.Flags().BoolVar(&a.Update, "update", false, "record the template again even when its locked entry differs")
	return cmd
}

func runLock(a *lockArgs) (*lockReport, error) {
	path := displayPath(a.File)
	if _, err := os.Stat(path); err != nil {
		return nil, failure(exitUsage, fmt.Errorf("no blueprint at %s", path))
	}
	bp, ds, err := blueprints.Load(path, blueprints.IgnoreLock())
	if err != nil {
		return nil, failure(exitSystem, err)
	}
	rep := &lockReport{Diagnostics: ds, sources: bp.Sources()}
	if ds.HasErrors() {
		return rep, nil
	}
	if bp.Uses == nil {
		return nil, failure(exitUsage, fmt.Errorf("%s uses no template: nothing to lock", path))
	}
	lockPath := templates.LockPath(path)
	lock, lds, err := templates.ReadLock(lockPath)
	if err != nil {
		return nil, failure(exitSystem, err)
	}
	rep.Lock = lockPath
	rep.sources[lockPath] = lock.Source
	if !a.Update {
		lds = append(lds, lock.Verify(bp.Uses.Resolved, bp.Uses.Range)...)
		// Only a changed entry stops the lock; a missing one is what it adds.
		var keep diag.Diagnostics
		for _, d := range lds {
			if !strings.Contains(d.Summary, "is not locked") {
				keep = append(keep, d)
			}
		}
		lds = keep
	}
	if lds.HasErrors() {
		for _, d := range lds {
			d.Detail = strings.Replace(d.Detail, "run skyform templates lock --update", "run this again with --update", 1)
		}
		rep.Diagnostics = append(rep.Diagnostics, lds...)
		return rep, nil
	}
	entry := bp.Uses.Entry()
	before, _ := lock.Marshal()
	lock.Set(entry)
	lock.Keep(entry.Uses)
	after, err := lock.Marshal()
	if err != nil {
		return nil, failure(exitSystem, err)
	}
	rep.Templates = []templates.LockEntry{entry}
	if lock.Source == nil || string(before) != string(after) || string(lock.Source) != string(after) {
		if err := writeFileAtomic(lockPath, after); err != nil {
			return nil, failure(exitSystem, err)
		}
		rep.Changed = true
	}
	return rep, nil
}

// writeFileAtomic writes a file through a temporary file and a rename, so
// a reader never sees half of it.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// newArgs are the flags of skyform new.
type newArgs struct {
	Template string
	Sets     []string
	Out      string
	Name     string
	Cloud    string
	JSON     bool
}

// newReport is what skyform new produces.
type newReport struct {
	Blueprint   string           `json:"blueprint"`
	Template    string           `json:"template,omitempty"`
	Files       []string         `json:"files"`
	Diagnostics diag.Diagnostics `json:"diagnostics"`
	sources     diag.Sources
}

func newNewCmd(stdout, stderr io.Writer) *cobra.Command {
	var a newArgs
	cmd := &cobra.Command{
		Use:   "new --template T [--set NAME=VALUE]... -o DIR",
		Short: "Write a new blueprint built from a template",
		Long: `Write DIR/skyform.yaml using template T with the parameters given by --set,
DIR/skyform.lock recording the template, and the template's starter files
(its files/ directory, such as a function's code).

T is a starter's name (skyform templates lists them; the version may be left
out), a local directory ./DIR@1.2.0 (relative to the working directory) or
git+URL//DIR@v1.2.0. --set values are typed like with: in a blueprint:
--set memory_mb=512 is a number, --set public=true a bool, --set 'tags=[a, b]'
a list; quote a string that looks like a number: --set 'version="16"'.

Nothing is written when a parameter is wrong, the blueprint would not be
valid, or any of the files already exists.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := runNew(&a)
			if rep == nil {
				return err
			}
			if rep.Diagnostics == nil {
				rep.Diagnostics = diag.Diagnostics{}
			}
			if err := showReport(stdout, stderr, a.JSON, rep, rep.Diagnostics, rep.sources); err != nil {
				return err
			}
			if !a.JSON {
				fmt.Fprintf(stdout, "Wrote blueprint %q from template %s:\n", rep.Blueprint, rep.Template)
				for _, f := range rep.Files {
					fmt.Fprintf(stdout, "  %s\n", f)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&a.Template, "template", "t", "", "the template: NAME[@VERSION], ./DIR@VERSION or git+URL//DIR@VERSION (required)")
	cmd.Flags().StringArrayVar(&a.Sets, "set", nil, "a parameter NAME=VALUE (repeatable)")
	cmd.Flags().StringVarP(&a.Out, "out", "o", "", "directory to write the blueprint into (required)")
	cmd.Flags().StringVar(&a.Name, "name", "", "the blueprint's name (default: the parameter name, else DIR's name)")
	cmd.Flags().StringVar(&a.Cloud, "cloud", "aws", "where the blueprint places its resources: aws, gcp or azure")
	cmd.Flags().BoolVar(&a.JSON, "json", false, "print machine-readable JSON on stdout")
	return cmd
}

func runNew(a *newArgs) (*newReport, error) {
	if a.Template == "" || a.Out == "" {
		return nil, failure(exitUsage, fmt.Errorf("new needs --template T and -o DIR"))
	}
	if !contains(stringsOfClouds(), a.Cloud) {
		return nil, failure(exitUsage, fmt.Errorf("unknown cloud %q for --cloud; allowed: aws, gcp, azure", a.Cloud))
	}
	uses := a.Template
	if !strings.Contains(uses, "@") && !strings.ContainsAny(uses, "/") {
		// A starter without a version: the one skyform carries.
		if list, err := templates.Starters(); err == nil {
			for _, s := range list {
				if s.Name == uses {
					uses = s.Uses
				}
			}
		}
	}
	flagRange := diag.Range{File: "--template " + a.Template}
	ref, err := templates.ParseRef(uses)
	if err != nil && !strings.Contains(uses, "@") && !strings.Contains(uses, "/") {
		// Not a starter: resolving it says so, with the starters there are.
		ref, err = templates.Ref{Raw: uses, Kind: templates.Embedded, Path: uses}, nil
	}
	if err != nil {
		return nil, failure(exitUsage, fmt.Errorf("--template %s: %v", a.Template, err))
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, failure(exitSystem, err)
	}
	out := displayPath(a.Out)
	rep := &newReport{sources: diag.Sources{}}
	res, ds := (&templates.Resolver{}).Resolve(ref, wd, flagRange)
	if res != nil && res.Template != nil {
		rep.sources[res.Template.File] = res.Template.Source
	}
	if ds.HasErrors() {
		rep.Diagnostics = ds
		return rep, nil
	}
	t := res.Template
	rep.Template = t.Name + " " + t.Version
	// --set values are typed as YAML, like with: in a blueprint.
	with := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	origin := map[*yaml.Node]string{}
	for _, s := range a.Sets {
		name, val, ok := strings.Cut(s, "=")
		if !ok || name == "" {
			return nil, failure(exitUsage, fmt.Errorf("--set %s: write NAME=VALUE", s))
		}
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(val), &doc); err != nil {
			return nil, failure(exitUsage, fmt.Errorf("--set %s: the value is not YAML: %v", s, err))
		}
		v := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
		if len(doc.Content) > 0 {
			v = doc.Content[0]
		}
		k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name}
		origin[k], origin[v] = "--set "+s, "--set "+s
		with.Content = append(with.Content, k, v)
	}
	rng := func(n *yaml.Node) diag.Range {
		if o, ok := origin[n]; ok {
			return diag.Range{File: o}
		}
		return flagRange
	}
	if _, eds := templates.Expand(t, with, flagRange, rng); eds.HasErrors() {
		rep.Diagnostics = eds
		return rep, nil
	}
	name := a.Name
	if name == "" {
		name = filepath.Base(filepath.Clean(a.Out))
		if p := t.Param("name"); p != nil {
			for i := 0; i+1 < len(with.Content); i += 2 {
				if with.Content[i].Value == "name" {
					name = with.Content[i+1].Value
				}
			}
		}
	}
	rep.Blueprint = name
	// A local template is written relative to the new blueprint.
	if ref.Kind == templates.Local {
		abs, _ := filepath.Abs(filepath.Join(wd, ref.Path))
		outAbs, _ := filepath.Abs(out)
		rel, err := filepath.Rel(outAbs, abs)
		if err != nil {
			return nil, failure(exitUsage, fmt.Errorf("--template %s: %v", a.Template, err))
		}
		rel = filepath.ToSlash(rel)
		if !strings.HasPrefix(rel, "../") {
			rel = "./" + rel
		}
		uses = rel + "@" + ref.Version
	}
	src, err := starterBlueprint(name, a.Cloud, uses, t, with)
	if err != nil {
		return nil, failure(exitSystem, err)
	}
	files := map[string][]byte{"skyform.yaml": src}
	for p, data := range t.StarterFiles() {
		files[filepath.FromSlash(p)] = data
	}
	// Refuse before writing anything.
	var exists []string
	for p := range files {
		if _, err := os.Lstat(filepath.Join(out, p)); err == nil {
			exists = append(exists, filepath.Join(out, p))
		}
	}
	if _, err := os.Lstat(filepath.Join(out, "skyform.lock")); err == nil {
		exists = append(exists, filepath.Join(out, "skyform.lock"))
	}
	if len(exists) > 0 {
		sort.Strings(exists)
		return nil, failure(exitUsage, fmt.Errorf("refusing to overwrite %s; nothing was written", strings.Join(exists, ", ")))
	}
	// Write into a directory beside DIR (so relative paths resolve the
	// same), check the blueprint there, then move the files into DIR.
	parent := filepath.Dir(filepath.Clean(out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, failure(exitSystem, fmt.Errorf("cannot create %s: %w", parent, err))
	}
	tmp, err := os.MkdirTemp(parent, ".skyform-new-*")
	if err != nil {
		return nil, failure(exitSystem, fmt.Errorf("cannot write the blueprint: %w", err))
	}
	defer os.RemoveAll(tmp)
	for p, data := range files {
		if err := writeInto(tmp, p, data); err != nil {
			return nil, failure(exitSystem, err)
		}
	}
	bpFile := filepath.Join(out, "skyform.yaml")
	bp, bds := blueprints.Parse(bpFile, src, blueprints.IgnoreLock(), blueprints.WithDir(tmp))
	for f, data := range bp.Sources() {
		rep.sources[f] = data
	}
	if bds.HasErrors() {
		rep.Diagnostics = bds
		return rep, nil
	}
	lock := &templates.Lock{File: filepath.Join(out, "skyform.lock")}
	lock.Set(bp.Uses.Entry())
	lockData, err := lock.Marshal()
	if err != nil {
		return nil, failure(exitSystem, err)
	}
	if err := writeInto(tmp, "skyform.lock", lockData); err != nil {
		return nil, failure(exitSystem, err)
	}
	files["skyform.lock"] = lockData
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, failure(exitSystem, fmt.Errorf("cannot create %s: %w", out, err))
	}
	var written []string
	for p := range files {
		written = append(written, p)
	}
	sort.Strings(written)
	for _, p := range written {
		dst := filepath.Join(out, p)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return nil, failure(exitSystem, fmt.Errorf("cannot create %s: %w", filepath.Dir(dst), err))
		}
		if err := os.Rename(filepath.Join(tmp, p), dst); err != nil {
			return nil, failure(exitSystem, fmt.Errorf("cannot write %s: %w", dst, err))
		}
		rep.Files = append(rep.Files, filepath.ToSlash(dst))
	}
	rep.Diagnostics = bds
	return rep, nil
}

func writeInto(dir, rel string, data []byte) error {
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("cannot write %s: %w", rel, err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %w", rel, err)
	}
	return nil
}

// starterBlueprint renders the blueprint skyform new writes.
func starterBlueprint(name, cloud, uses string, t *templates.Template, with *yaml.Node) ([]byte, error) {
	str := func(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	root.Content = append(root.Content, str("blueprint"), str(name), str("cloud"), str(cloud), str("uses"), str(uses))
	if len(with.Content) > 0 {
		for i := 1; i < len(with.Content); i += 2 {
			if v := with.Content[i]; v.Kind != yaml.ScalarNode {
				v.Style = yaml.FlowStyle
			}
		}
		root.Content = append(root.Content, str("with"), with)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Built from template %s %s: %s\n", t.Name, t.Version, t.Description)
	b.WriteString("# Resources and labels written here are added to the template's. After changing\n# uses:, run skyform templates lock.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("cannot write the blueprint: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("cannot write the blueprint: %w", err)
	}
	return []byte(b.String()), nil
}

func stringsOfClouds() []string {
	out := make([]string, len(blueprints.Clouds))
	for i, c := range blueprints.Clouds {
		out[i] = string(c)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
