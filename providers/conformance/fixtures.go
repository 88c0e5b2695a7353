package conformance

import (
	"sort"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
)

// The fixtures below build neutral models directly, for the clouds' table
// tests: a blueprint on one cloud whose diagnostics point into a file named
// File, one line per resource.

// File names the blueprint the fixtures pretend to parse.
const File = "skyform.yaml"

// At is column 3 of a line of File.
func At(line int) diag.Range { return diag.Range{File: File, Start: diag.Pos{Line: line, Column: 3}} }

// Blueprint builds blueprint "shop" on cloud c in europe-west, labelled
// team=payments. Resources without a cloud go on c, resource i (as given)
// stands on line 10+10*i, and resources end up in name order as Parse
// leaves them.
func Blueprint(c blueprints.Cloud, rs ...*blueprints.Resource) *blueprints.Blueprint {
	b := &blueprints.Blueprint{
		Name:   "shop",
		File:   File,
		Cloud:  c,
		Region: blueprints.Region{Neutral: "europe-west", Range: At(2)},
		Labels: []blueprints.Label{{Key: "team", Value: "payments"}},
	}
	for i, r := range rs {
		if r.Cloud == "" {
			r.Cloud = c
		}
		if r.Range.IsZero() {
			r.Range = At(10 + 10*i)
		}
		b.Resources = append(b.Resources, r)
	}
	sort.Slice(b.Resources, func(i, j int) bool { return b.Resources[i].Name < b.Resources[j].Name })
	return b
}

// On places a resource on cloud c.
func On(c blueprints.Cloud, r *blueprints.Resource) *blueprints.Resource { r.Cloud = c; return r }

// Field records that a field of r was written on line.
func Field(r *blueprints.Resource, path string, line int) *blueprints.Resource {
	if r.Fields == nil {
		r.Fields = map[string]diag.Range{}
	}
	r.Fields[path] = At(line)
	return r
}

// Override sets an override of r's module variable on cloud c.
func Override(r *blueprints.Resource, c blueprints.Cloud, key string, v any) *blueprints.Resource {
	if r.Overrides == nil {
		r.Overrides = map[blueprints.Cloud]map[string]any{}
	}
	if r.Overrides[c] == nil {
		r.Overrides[c] = map[string]any{}
	}
	r.Overrides[c][key] = v
	return r
}

// Env is an environment variable made of literal parts and references.
func Env(name string, parts ...blueprints.Part) blueprints.EnvVar {
	return blueprints.EnvVar{Name: name, Value: parts}
}

// Ref is a reference part ${resource.attribute}.
func Ref(resource, attribute string) blueprints.Part {
	return blueprints.Part{Ref: &blueprints.Ref{Resource: resource, Attribute: attribute}}
}

// Cluster is a cluster resource.
func Cluster(name string, c blueprints.Cluster) *blueprints.Resource {
	return &blueprints.Resource{Name: name, Kind: blueprints.KindCluster, Cluster: &c}
}
