package modules

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"gopkg.in/yaml.v3"
)

// Config maps kinds on clouds to a platform team's own modules: the
// skyform.modules.yaml a blueprint's `modules` field or --modules names.
type Config struct {
	// File is the config file as named (relative to the working directory).
	File string
	// Allow lists the prefixes a remote source must start with.
	Allow []string
	// Modules are the substitutes by "<kind>.<cloud>".
	Modules map[string]*Substitute
}

// Substitute is the module that replaces the embedded one for a kind on a
// cloud.
type Substitute struct {
	Kind  blueprints.Kind
	Cloud blueprints.Cloud
	// Source is the source as written.
	Source string
	// Version is a registry module's exact version.
	Version string
	// Dir is a local module's directory; empty for a remote one.
	Dir string
	// Files are a local module's files by slash path below Dir.
	Files map[string][]byte
	// Interface is a local module's variables and outputs; nil for a
	// remote one, which cannot be read before terraform init.
	Interface *Interface
	// Range is where the mapping's key stands in the config file.
	Range diag.Range
	// SourceRange is where the source value stands.
	SourceRange diag.Range
}

// Remote reports whether the module is fetched by terraform init.
func (s *Substitute) Remote() bool { return s.Dir == "" }

// Lookup returns the substitute for a kind on a cloud, or nil.
func (c *Config) Lookup(k blueprints.Kind, cl blueprints.Cloud) *Substitute {
	if c == nil {
		return nil
	}
	return c.Modules[string(k)+"."+string(cl)]
}

var (
	// A git source pinned to a release tag or a full commit.
	gitRef = regexp.MustCompile(`^(v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?|[0-9a-f]{40})$`)
	// A registry address: [host/]namespace/name/provider.
	registrySource = regexp.MustCompile(`^([a-z0-9.-]+\.[a-z]{2,}(:[0-9]+)?/)?[a-zA-Z0-9][a-zA-Z0-9_-]*/[a-zA-Z0-9][a-zA-Z0-9_-]*/[a-z0-9]+$`)
	exactVersion   = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)
)

// LoadConfig reads a module config. Mistakes in it, a local module that
// cannot be read or parsed, an unpinned or unlisted remote source, are
// diagnostics; the error is for a config file that cannot be read.
func LoadConfig(file string) (*Config, diag.Diagnostics, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read module config: %w", err)
	}
	c := &Config{File: file, Modules: map[string]*Substitute{}}
	var ds diag.Diagnostics
	at := func(n *yaml.Node) diag.Range {
		return diag.Range{File: file, Start: diag.Pos{Line: n.Line, Column: n.Column}}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, ds.Errorf(diag.Range{File: file, Start: diag.Pos{Line: 1, Column: 1}}, "", "malformed module config", "%v", err), nil
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, ds.Errorf(diag.Range{File: file, Start: diag.Pos{Line: 1, Column: 1}}, "", "empty module config", "a module config is a mapping with the keys modules and, for remote sources, allow"), nil
	}
	root := doc.Content[0]
	var mods *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "allow":
			if v.Kind != yaml.SequenceNode {
				ds = ds.Errorf(at(v), "allow", "wrong type", "allow is a list of source prefixes remote modules may come from")
				continue
			}
			for _, e := range v.Content {
				if e.Kind != yaml.ScalarNode || e.Value == "" {
					ds = ds.Errorf(at(e), "allow", "wrong type", "each allow entry is a non-empty source prefix")
					continue
				}
				c.Allow = append(c.Allow, e.Value)
			}
		case "modules":
			mods = v
		default:
			ds = ds.Errorf(at(k), k.Value, fmt.Sprintf("unknown field %q in the module config", k.Value), "allowed: modules, allow")
		}
	}
	if mods == nil {
		return c, ds.Errorf(at(root), "modules", `missing field "modules" in the module config`, "modules maps <kind>.<cloud> (e.g. queue.aws) to {source: ...}"), nil
	}
	if mods.Kind != yaml.MappingNode {
		return c, ds.Errorf(at(mods), "modules", "wrong type", "modules maps <kind>.<cloud> (e.g. queue.aws) to {source: ...}"), nil
	}
	dir := filepath.Dir(file)
	for i := 0; i+1 < len(mods.Content); i += 2 {
		k, v := mods.Content[i], mods.Content[i+1]
		s, sds := c.substitute(dir, k, v, at)
		ds = append(ds, sds...)
		if s != nil {
			c.Modules[k.Value] = s
		}
	}
	return c, ds, nil
}

func (c *Config) substitute(dir string, k, v *yaml.Node, at func(*yaml.Node) diag.Range) (*Substitute, diag.Diagnostics) {
	var ds diag.Diagnostics
	path := "modules." + k.Value
	kind, cloud, _ := strings.Cut(k.Value, ".")
	if !contains(blueprints.Kinds, blueprints.Kind(kind)) || !contains(blueprints.Clouds, blueprints.Cloud(cloud)) {
		return nil, ds.Errorf(at(k), path, fmt.Sprintf("unknown kind × cloud %q", k.Value), "keys are <kind>.<cloud>: kinds %s; clouds aws, gcp, azure", strings.Join(kindNames(), ", "))
	}
	if v.Kind != yaml.MappingNode {
		return nil, ds.Errorf(at(v), path, "wrong type", "a module mapping is {source: ..., version: ...}")
	}
	s := &Substitute{Kind: blueprints.Kind(kind), Cloud: blueprints.Cloud(cloud), Range: at(k)}
	var versionNode *yaml.Node
	for i := 0; i+1 < len(v.Content); i += 2 {
		fk, fv := v.Content[i], v.Content[i+1]
		switch fk.Value {
		case "source":
			s.Source, s.SourceRange = fv.Value, at(fv)
		case "version":
			s.Version, versionNode = fv.Value, fv
		default:
			ds = ds.Errorf(at(fk), path+"."+fk.Value, fmt.Sprintf("unknown field %q in a module mapping", fk.Value), "allowed: source, version")
		}
	}
	switch {
	case s.Source == "":
		return nil, ds.Errorf(at(k), path+".source", `missing field "source" in a module mapping`, "a local path (./...), a git:: source pinned with ?ref=, or a registry source with version")
	case strings.HasPrefix(s.Source, "./") || strings.HasPrefix(s.Source, "../"):
		if versionNode != nil {
			ds = ds.Errorf(at(versionNode), path+".version", "version is for registry modules", "a local module is used as it is on disk")
		}
		return s, append(ds, s.readLocal(dir, path)...)
	case strings.HasPrefix(s.Source, "git::"):
		u, err := url.Parse(strings.TrimPrefix(s.Source, "git::"))
		ref := ""
		if err == nil {
			ref = u.Query().Get("ref")
		}
		switch {
		case err != nil || u.Scheme != "https" && u.Scheme != "ssh":
			return nil, ds.Errorf(s.SourceRange, path+".source", "unsupported git source", "write git::https://host/path.git?ref=v1.2.3 (or git::ssh://...)")
		case !gitRef.MatchString(ref):
			return nil, ds.Errorf(s.SourceRange, path+".source", "unpinned git source", "pin the module with ?ref= a release tag (v1.2.3) or a full 40-character commit, so every init gets the same code; got ref %q", ref)
		}
		if versionNode != nil {
			ds = ds.Errorf(at(versionNode), path+".version", "version is for registry modules", "a git source is pinned by its ?ref=")
		}
	case registrySource.MatchString(s.Source):
		if !exactVersion.MatchString(s.Version) {
			at := s.Range
			if versionNode != nil {
				at = diag.Range{File: s.Range.File, Start: diag.Pos{Line: versionNode.Line, Column: versionNode.Column}}
			}
			return nil, ds.Errorf(at, path+".version", "unpinned registry module", "a registry module needs version: an exact release such as 1.2.3, not a range; got %q", s.Version)
		}
	default:
		return nil, ds.Errorf(s.SourceRange, path+".source", fmt.Sprintf("unsupported module source %q", s.Source), "a local path (./...), a git:: source pinned with ?ref=, or a registry source namespace/name/provider with version")
	}
	allowed := false
	for _, a := range c.Allow {
		allowed = allowed || strings.HasPrefix(s.Source, a)
	}
	if !allowed {
		list := "the config's allow list is empty"
		if len(c.Allow) > 0 {
			list = "allowed prefixes: " + strings.Join(c.Allow, ", ")
		}
		return nil, ds.Errorf(s.SourceRange, path+".source", "module source not allowed", "%s does not start with a prefix on the allow list; %s", s.Source, list)
	}
	return s, ds
}

// readLocal reads a local module's files (hidden entries and .terraform
// skipped) and its interface.
func (s *Substitute) readLocal(dir, path string) diag.Diagnostics {
	var ds diag.Diagnostics
	s.Dir = filepath.Join(dir, filepath.FromSlash(s.Source))
	st, err := os.Stat(s.Dir)
	if err != nil || !st.IsDir() {
		return ds.Errorf(s.SourceRange, path+".source", fmt.Sprintf("module directory %q not found", s.Source), "a local source is a directory relative to the module config; looked for %s", s.Dir)
	}
	s.Files = map[string][]byte{}
	err = filepath.WalkDir(s.Dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != s.Dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(s.Dir, p)
		s.Files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		return ds.Errorf(s.SourceRange, path+".source", "cannot read module "+s.Source, "%v", err)
	}
	iface, hds := Read(s.Files, s.Dir)
	for _, d := range hds {
		if d.Severity != hcl.DiagError {
			continue
		}
		rng := s.SourceRange
		if d.Subject != nil {
			rng = HCLRange(*d.Subject)
		}
		ds = ds.Errorf(rng, path, "module "+s.Source+": "+d.Summary, "%s", d.Detail)
	}
	if len(iface.Outputs) == 0 && len(iface.Variables) == 0 && !ds.HasErrors() {
		ds = ds.Errorf(s.SourceRange, path+".source", fmt.Sprintf("no Terraform module in %q", s.Source), "the directory holds no .tf file declaring variables or outputs")
	}
	s.Interface = iface
	return ds
}

// HCLRange turns an HCL range into a diagnostic range.
func HCLRange(r hcl.Range) diag.Range {
	return diag.Range{File: r.Filename, Start: diag.Pos{Line: r.Start.Line, Column: r.Start.Column}}
}

func contains[T comparable](vs []T, v T) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

func kindNames() []string {
	out := make([]string, len(blueprints.Kinds))
	for i, k := range blueprints.Kinds {
		out[i] = string(k)
	}
	sort.Strings(out)
	return out
}
