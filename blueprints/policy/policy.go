package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"gopkg.in/yaml.v3"
)

// DefaultFile is the policy a blueprint is checked against when neither
// --policy nor the blueprint's policy key names one: this file in the
// blueprint's directory, when it exists.
const DefaultFile = "skyform.policy.yaml"

// Policy is a parsed policy file.
type Policy struct {
	// Name is the policy's name, "" when the file gives none.
	Name string
	// File is the policy's path as it appears in positions.
	File string
	// Source is the file's bytes, kept to print snippets under diagnostics.
	Source []byte
	// Rules are the rules switched on, in the order of the rule table.
	Rules []*Rule
}

// Title is how messages name the policy: its name, or its file.
func (p *Policy) Title() string {
	if p.Name != "" {
		return p.Name
	}
	return p.File
}

// Rule is one rule of a policy with its parameters; which parameters are
// set depends on the rule (see the rule table).
type Rule struct {
	Name     string
	Severity diag.Severity
	// Range is where the rule's name stands in the policy file.
	Range diag.Range
	// Params holds the position of each parameter written, by name
	// ("database", "per_pool", "values.env").
	Params map[string]diag.Range

	Clouds      []blueprints.Cloud
	Regions     []allowedRegion
	MaxSize     map[blueprints.Kind]blueprints.Size
	Labels      []string
	LabelValues map[string][]string
	MinDays     int
	PerPool     int
	PerCluster  int
	Runtimes    []blueprints.Runtime
	Versions    map[blueprints.Engine][]string
	Kubernetes  []string
}

// At is the position of a parameter, or of the rule's name when the
// parameter is not written.
func (r *Rule) At(param string) diag.Range {
	if rng, ok := r.Params[param]; ok {
		return rng
	}
	return r.Range
}

// allowedRegion is a region a policy allows: a neutral key (every cloud's
// region of that key) or one cloud's own region name.
type allowedRegion struct {
	Name   string
	Region blueprints.Region
}

// Load reads and parses a policy file. The error is for system failures
// only (the file cannot be read; errors.Is(err, fs.ErrNotExist) tells a
// missing file); problems in the policy are diagnostics.
func Load(path string) (*Policy, diag.Diagnostics, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read policy: %w", err)
	}
	p, ds := Parse(path, src)
	return p, ds, nil
}

// For loads the policy a blueprint is checked against: file when given
// (--policy, relative to the working directory), else the one the
// blueprint's policy key names (relative to the blueprint), else
// DefaultFile beside the blueprint. It returns nil when none applies. A
// policy key naming a missing file is a diagnostic at the key.
func For(bp *blueprints.Blueprint, file string) (*Policy, diag.Diagnostics, error) {
	switch {
	case file != "":
		return Load(file)
	case bp.Policy != "":
		path := bp.Policy
		if !filepath.IsAbs(path) {
			path = filepath.Join(bp.Dir, path)
		}
		p, ds, err := Load(path)
		if errors.Is(err, fs.ErrNotExist) {
			var out diag.Diagnostics
			return nil, out.Errorf(bp.At("policy"), "policy", fmt.Sprintf("policy file %q not found", bp.Policy), "looked for %s; the path is relative to the blueprint's directory", path), nil
		}
		return p, ds, err
	}
	path := filepath.Join(bp.Dir, DefaultFile)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	return Load(path)
}

var topSpec = &blueprints.Field{Type: blueprints.TObject, Fields: []blueprints.Field{
	{Name: "policy", Type: blueprints.TString, Pattern: `^[a-z]([a-z0-9-]*[a-z0-9])?$`, Doc: "the policy's name: lower-case letters, digits and dashes"},
	{Name: "description", Type: blueprints.TString, Doc: "what the policy is for"},
	{Name: "rules", Type: blueprints.TObject, Required: true, Doc: "the rules, by name", Fields: rulesSpec.Fields},
}}

var rulesSpec = &blueprints.Field{Type: blueprints.TObject, Fields: ruleFields()}

// Parse decodes and validates a policy file. file names it in positions.
// The Policy is returned even with errors; it must not be used then.
func Parse(file string, src []byte) (*Policy, diag.Diagnostics) {
	p := &Policy{File: file, Source: src}
	x := blueprints.NewDecoder(file, "policy", "the key rules")
	root := x.Parse(src)
	if root == nil {
		return p, x.Diagnostics()
	}
	top := x.Object(root, "", topSpec, "the policy")
	p.Name = top.Str("policy")
	_ = top.Str("description")
	rules := top.Value("rules")
	if rules == nil {
		return p, x.Diagnostics()
	}
	ro := x.Object(rules, "rules", rulesSpec, "rules")
	for _, def := range ruleTable {
		if !ro.Has(def.name) {
			continue
		}
		if r := decodeRule(x, ro, def); r != nil {
			p.Rules = append(p.Rules, r)
		}
	}
	if len(ro.Fields()) == 0 && len(x.Diagnostics()) == 0 {
		x.Errorf(rules, "rules", "no rules", "a policy sets at least one rule; rules: %s", ruleNames())
	}
	return p, x.Diagnostics()
}

// decodeRule decodes one rule. Rules without parameters may be written as
// true (on, severity error) or false (off); every rule takes a mapping
// with severity and its parameters. It returns nil for a rule switched off
// or in error.
func decodeRule(x *blueprints.Decoder, ro *blueprints.Object, def *ruleDef) *Rule {
	key, val := ro.Key(def.name), ro.Value(def.name)
	if val == nil {
		return nil
	}
	path := "rules." + def.name
	r := &Rule{Name: def.name, Range: x.Range(key), Params: map[string]diag.Range{}}
	if val.Kind == yaml.ScalarNode && val.Tag == "!!bool" {
		if def.decode != nil {
			x.Errorf(val, path, "wrong type", "%s takes parameters (%s), not %s", def.name, def.params(), blueprints.Describe(val))
			return nil
		}
		if val.Value == "false" || val.Value == "False" || val.Value == "FALSE" {
			return nil
		}
		return r
	}
	if val.Kind != yaml.MappingNode && !(val.Kind == yaml.ScalarNode && val.Tag == "!!null") {
		want := "a mapping of severity and " + def.params()
		if def.decode == nil {
			want = "true, false or a mapping such as {severity: warn}"
		}
		x.Errorf(val, path, "wrong type", "%s must be %s, not %s", def.name, want, blueprints.Describe(val))
		return nil
	}
	before := len(x.Diagnostics().Errs())
	o := x.Object(val, path, def.spec(), "rule "+def.name)
	for _, f := range o.Fields() {
		r.Params[f] = x.Range(o.Key(f))
	}
	if o.Str("severity") == "warn" {
		r.Severity = diag.Warning
	}
	if def.decode != nil {
		def.decode(x, o, r)
	}
	if len(x.Diagnostics().Errs()) > before {
		return nil
	}
	return r
}
